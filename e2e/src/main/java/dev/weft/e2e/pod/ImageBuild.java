package dev.weft.e2e.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The image under test, built from the working tree by deploy/image/build.sh once per JVM, tagged
 * {@code localhost/weft:it-<pid>} and removed when the JVM exits, together with every container
 * whose name starts with this JVM's {@code wt-<pid>-} prefix. Images and containers of test runs
 * that died (their pid is gone) are removed before the build. A failed build throws: nothing that
 * needs the image is skipped.
 */
public final class ImageBuild {
    /** Repository part of the per-run tags. */
    public static final String REPOSITORY = "localhost/weft";
    private static final String RUN_TAG_PREFIX = "it-";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(60);

    private static String built;

    private ImageBuild() {
    }

    /** This JVM's image tag. */
    public static String runTag() {
        return REPOSITORY + ":" + RUN_TAG_PREFIX + ProcessHandle.current().pid();
    }

    /** Builds the image unless this JVM already has; returns its tag. */
    public static synchronized String ensureBuilt(Path repo) {
        if (built != null) {
            return built;
        }
        PodmanCli podman = PodmanCli.forRepo(repo);
        podman.sweepLeftovers();
        sweepImages(podman);
        String tag = runTag();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeRun(podman, tag), "weft-image-cleanup"));
        build(repo, tag, repo.resolve("e2e/target/image-build.log"));
        built = tag;
        return tag;
    }

    /** Runs build.sh for {@code tag}; its output goes to {@code log}, its summary lines to stdout. Throws on failure. */
    public static void build(Path repo, String tag, Path log) {
        Path script = repo.resolve("deploy/image/build.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("image build: " + script + " is missing");
        }
        long t0 = System.nanoTime();
        int exit;
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder("bash", script.toString(), "--tag", tag)
                    .directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("image build: " + script + " did not finish in " + BUILD_TIMEOUT
                        + "; log " + log + "\n" + tail(log));
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("image build: cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("image build interrupted", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("image build: " + script + " --tag " + tag + " exited " + exit
                    + " (log " + log + "):\n" + tail(log));
        }
        summary(log).forEach(System.out::println);
        System.out.printf("image build: %s in %.1f s%n", tag, (System.nanoTime() - t0) / 1e9);
    }

    /** Removes this run's containers (name prefix {@code wt-<pid>-}) and its image. */
    static void removeRun(PodmanCli podman, String tag) {
        String mine = "wt-" + ProcessHandle.current().pid() + "-";
        var r = podman.exec(PODMAN_TIMEOUT, "ps", "--all", "--format", "{{.Names}}");
        if (r.ok()) {
            for (String name : r.stdout().lines().map(String::strip).filter(n -> n.startsWith(mine)).toList()) {
                podman.exec(PODMAN_TIMEOUT, "rm", "--force", "--time", "0", name);
            }
        }
        podman.exec(PODMAN_TIMEOUT, "rmi", "--force", tag);
    }

    /** Removes {@code localhost/weft:it-<pid>} images whose pid is no longer alive; returns how many. */
    static int sweepImages(PodmanCli podman) {
        var r = podman.exec(PODMAN_TIMEOUT, "images", "--format", "{{.Repository}}:{{.Tag}}", "--filter",
                "reference=" + REPOSITORY);
        if (!r.ok()) {
            return 0;
        }
        int removed = 0;
        for (String ref : r.stdout().lines().map(String::strip).toList()) {
            String tag = ref.substring(ref.lastIndexOf(':') + 1);
            if (tag.matches(RUN_TAG_PREFIX + "\\d+") && !alive(Long.parseLong(tag.substring(RUN_TAG_PREFIX.length())))) {
                System.err.println("weft tests: removing leftover image " + ref);
                podman.exec(PODMAN_TIMEOUT, "rmi", "--force", ref);
                removed++;
            }
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<String> summary(Path log) {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.startsWith("weft image:")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
