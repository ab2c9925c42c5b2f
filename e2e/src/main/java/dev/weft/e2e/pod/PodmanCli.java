package dev.weft.e2e.pod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.weft.testing.Cmd;

/**
 * {@code podman} with the repository's own configuration (deploy/image/containers.conf and
 * storage.conf, when the repository has them), so tests see the images the image build made and
 * never depend on the machine's settings.
 */
public final class PodmanCli {
    private final Map<String, String> env;

    private PodmanCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** podman configured from {@code repo}'s deploy/image directory. */
    public static PodmanCli forRepo(Path repo) {
        Map<String, String> env = new HashMap<>();
        Path conf = repo.resolve("deploy/image/containers.conf");
        // As deploy/image/env.sh: vfs when asked for or when the kernel has no overlayfs.
        boolean vfs = "vfs".equals(System.getenv("WEFT_STORAGE_DRIVER")) || !kernelHasOverlay();
        Path storage = repo.resolve(vfs ? "deploy/image/storage-vfs.conf" : "deploy/image/storage.conf");
        if (Files.isRegularFile(conf)) {
            env.put("CONTAINERS_CONF", conf.toString());
        }
        if (Files.isRegularFile(storage)) {
            env.put("CONTAINERS_STORAGE_CONF", storage.toString());
        }
        return new PodmanCli(env);
    }

    private static boolean kernelHasOverlay() {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream().anyMatch(l -> l.strip().endsWith("overlay"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The environment every podman call gets (for shell lines printed to users, e.g. by the sandbox). */
    public Map<String, String> env() {
        return env;
    }

    public Cmd.Result exec(Duration timeout, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(args);
        return Cmd.exec(timeout, null, env, cmd);
    }

    public Cmd.Result exec(Duration timeout, String... args) {
        return exec(timeout, List.of(args));
    }

    /** Runs and returns stdout; throws with podman's stderr unless it exits 0. */
    public String run(Duration timeout, String... args) {
        Cmd.Result r = exec(timeout, List.of(args));
        if (!r.ok()) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " exited " + r.exitCode() + ": "
                    + r.stderr().strip());
        }
        return r.stdout();
    }

    /**
     * Removes containers of test runs that died: names {@code wt-<pid>-…} whose pid is not alive, as
     * the namespace sweeper does for namespaces.
     */
    public int sweepLeftovers() {
        Cmd.Result r = exec(Duration.ofSeconds(30), "ps", "--all", "--format", "{{.Names}}");
        if (!r.ok()) {
            return 0;
        }
        int removed = 0;
        for (String name : r.stdout().lines().map(String::strip).toList()) {
            if (name.matches("wt-\\d+-.*") && !alive(Long.parseLong(name.split("-")[1]))) {
                System.err.println("weft tests: removing leftover container " + name);
                exec(Duration.ofSeconds(30), "rm", "--force", "--time", "0", name);
                removed++;
            }
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
