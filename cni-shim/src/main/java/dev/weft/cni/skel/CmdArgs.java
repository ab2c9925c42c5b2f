package dev.weft.cni.skel;

import java.util.Map;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.types.CniVersion;

/**
 * One invocation, validated: the command, its parameters from the environment, the network
 * configuration from stdin and its cniVersion.
 *
 * @param command     the command
 * @param containerId CNI_CONTAINERID, validated; null for VERSION/STATUS/GC
 * @param netns       CNI_NETNS, or null when not given
 * @param ifName      CNI_IFNAME, validated; null for VERSION/STATUS/GC
 * @param cniArgs     CNI_ARGS, or null
 * @param cniPath     CNI_PATH, or null for VERSION
 * @param conf        the network configuration
 * @param version     its cniVersion
 * @param env         the whole environment, passed on to delegated plugins as libcni does
 * @param log         where to log
 */
public record CmdArgs(Command command, String containerId, String netns, String ifName, String cniArgs,
                      String cniPath, JsonObject conf, CniVersion version, Map<String, String> env, Log log) {
}
