package dev.weft.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.weft.e2e.cluster.Artifacts;
import dev.weft.e2e.pod.PodmanCli;
import dev.weft.testing.Cmd;

/**
 * The image under test: deploy/Dockerfile built by deploy/image/build.sh, once per test JVM, as
 * {@code localhost/weft:it-<pid>}, and removed when the JVM exits. Images of test runs that died
 * are removed first. A build that fails fails the test that asked for it, with the build's output.
 */
final class ImageBuild {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final String REPOSITORY = "localhost/weft";
    private static String built;

    private ImageBuild() {
    }

    static synchronized String ensureBuilt() throws IOException {
        if (built != null) {
            return built;
        }
        Path repo = Artifacts.locate().repo();
        PodmanCli podman = PodmanCli.forRepo(repo);
        sweepLeftovers(podman);
        String tag = REPOSITORY + ":it-" + ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> podman.exec(Duration.ofSeconds(60), "rmi", "--force", tag),
                "weft-image-cleanup"));
        long t0 = System.nanoTime();
        Cmd.Result r = Cmd.exec(BUILD_TIMEOUT, null, java.util.Map.of(),
                List.of("bash", repo.resolve("deploy/image/build.sh").toString(), "--tag", tag));
        if (!r.ok()) {
            throw new IOException("deploy/image/build.sh --tag " + tag + " exited " + r.exitCode() + ":\n" + r.stdout() + r.stderr());
        }
        System.out.printf("weft tests: built %s in %.1f s%n%s", tag, (System.nanoTime() - t0) / 1e9, r.stdout());
        built = tag;
        return tag;
    }

    /** {@code localhost/weft:it-<pid>} of a pid no longer alive: a run that could not remove its image. */
    private static void sweepLeftovers(PodmanCli podman) {
        Cmd.Result r = podman.exec(Duration.ofSeconds(30), "images", "--format", "{{.Repository}}:{{.Tag}}");
        if (!r.ok()) {
            return;
        }
        for (String image : r.stdout().lines().map(String::strip).toList()) {
            if (image.matches(java.util.regex.Pattern.quote(REPOSITORY) + ":it-\\d+")) {
                long pid = Long.parseLong(image.substring(image.lastIndexOf('-') + 1));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                System.err.println("weft tests: removing leftover image " + image);
                podman.exec(Duration.ofSeconds(60), "rmi", "--force", image);
            }
        }
    }
}
