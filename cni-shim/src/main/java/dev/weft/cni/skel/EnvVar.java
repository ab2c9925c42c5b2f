package dev.weft.cni.skel;

/** The environment variables through which a runtime passes a command's parameters. */
public enum EnvVar {
    CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH
}
