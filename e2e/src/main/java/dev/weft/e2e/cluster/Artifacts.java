package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built pieces the cluster runs are: the agent distribution, the CNI shim bundle, the
 * e2e classpath (for the API server process) and the Java that runs this harness.
 */
public record Artifacts(Path repo) {

    /** Finds the repository from {@code weft.repo} or by walking up from the working directory. */
    public static Artifacts locate() {
        String prop = System.getProperty("weft.repo");
        Path dir = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("e2e"))
                    && Files.isDirectory(p.resolve("agent"))) {
                return new Artifacts(p.toAbsolutePath());
            }
        }
        throw new IllegalStateException("cannot find the weft repository above " + dir + " (set -Dweft.repo)");
    }

    /** {@code agent/target/weft-agent/bin/weft}: the agent launcher. */
    public Path agentLauncher() {
        return require(repo.resolve("agent/target/weft-agent/bin/weft"), "the agent distribution");
    }

    /** {@code cni-shim/target/weft-cni-bundle.tar.gz}: the shim bundle with its install.sh. */
    public Path shimBundle() {
        return require(repo.resolve("cni-shim/target/weft-cni-bundle.tar.gz"), "the CNI shim bundle");
    }

    /** The classpath of the e2e module (written by the build), for the API server process. */
    public String e2eClasspath() {
        Path cp = require(repo.resolve("e2e/target/classpath.txt"), "the e2e classpath file");
        try {
            return repo.resolve("e2e/target/classes") + ":" + Files.readString(cp).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + cp, e);
        }
    }

    /** The java binary running this harness, reused for the API server process. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Path require(Path p, String what) {
        if (!Files.exists(p)) {
            throw new IllegalStateException(what + " is missing at " + p
                    + ": build it first with ./mvnw -DskipTests package");
        }
        return p;
    }
}
