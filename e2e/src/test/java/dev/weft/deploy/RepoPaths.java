package dev.weft.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the deploy artefacts, found from the working directory Maven gives the tests (e2e/). */
final class RepoPaths {
    private static final Path ROOT = findRoot();

    private RepoPaths() {}

    static Path root() {
        return ROOT;
    }

    static Path chart() {
        return ROOT.resolve("charts/weft");
    }

    static Path k3sValues() {
        return chart().resolve("values-k3s.yaml");
    }

    static Path manifest() {
        return ROOT.resolve("deploy/weft.yaml");
    }

    static Path cleanupManifest() {
        return ROOT.resolve("deploy/weft-cleanup.yaml");
    }

    private static Path findRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("charts/weft/Chart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no charts/weft/Chart.yaml in " + start + " or any parent directory");
    }
}
