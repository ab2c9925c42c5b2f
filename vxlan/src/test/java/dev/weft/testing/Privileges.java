package dev.weft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides whether a privileged test tier can run here, and what happens when it cannot:
 * outside CI it is skipped with the reason; under {@code CI=true} it fails, because a kernel or
 * cluster test that silently does not run proves nothing.
 */
public final class Privileges {
    private Privileges() {
    }

    /** True when the environment says this is a CI run ({@code CI=true}). */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why the kernel tier cannot run here, or empty when it can. */
    public static Optional<String> kernelTierUnavailable() {
        if (!isRoot()) {
            return Optional.of("kernel tests need root (network namespaces, netlink writes): run the test command as root");
        }
        for (String tool : new String[] {"ip", "bridge"}) {
            if (!onPath(tool)) {
                return Optional.of("kernel tests need '" + tool + "' (Debian package iproute2) on PATH");
            }
        }
        return Optional.empty();
    }

    /** True when this process runs with uid 0. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return "0".equals(f[1]); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** True when an executable with that name is on PATH. */
    public static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
