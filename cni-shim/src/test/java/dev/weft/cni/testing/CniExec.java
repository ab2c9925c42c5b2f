package dev.weft.cni.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.weft.testing.Cmd;

/**
 * Runs a CNI plugin the way a container runtime does: a clean environment holding only PATH and
 * the CNI_* variables, the configuration on stdin, inside a network namespace that plays the
 * node's root namespace ({@code ip netns exec <host>}), so nothing lands in the machine's own.
 */
public final class CniExec {
    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private CniExec() {
    }

    /** The CNI_* variables for one command on one container. */
    public static Map<String, String> env(String command, String containerId, Path netns, String ifName,
                                          String cniPath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        if (containerId != null) {
            env.put("CNI_CONTAINERID", containerId);
        }
        if (netns != null) {
            env.put("CNI_NETNS", netns.toString());
        }
        if (ifName != null) {
            env.put("CNI_IFNAME", ifName);
        }
        env.put("CNI_PATH", cniPath);
        return env;
    }

    /** Runs {@code plugin} in namespace {@code hostNs} with {@code cniEnv} and {@code stdin}. */
    public static Cmd.Result run(String hostNs, Path plugin, Map<String, String> cniEnv, String stdin) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", hostNs, "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        for (Map.Entry<String, String> e : cniEnv.entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add(plugin.toString());
        return Cmd.exec(TIMEOUT, stdin, cmd);
    }
}
