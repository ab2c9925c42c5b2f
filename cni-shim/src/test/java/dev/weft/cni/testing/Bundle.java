package dev.weft.cni.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.weft.testing.Cmd;

/**
 * The bundle Maven built ({@code target/weft-cni-bundle.tar.gz}), unpacked and installed with its
 * own install.sh into a scratch directory, exactly as deploy/ and the e2e harness do it.
 */
public final class Bundle {
    /** An installed bundle: the launcher a runtime would exec, and where everything went. */
    public record Installed(Path launcher, Path cniBinDir, Path prefix, Path unpacked, String installOutput) {
        /** The build directory the launcher points at. */
        public Path home() {
            try (var s = Files.list(prefix.resolve("cni"))) {
                return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}")).findFirst().orElseThrow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Bundle() {
    }

    /** The archive: {@code -Dweft.cni.bundle}, else where Maven writes it. */
    public static Path archive() {
        String p = System.getProperty("weft.cni.bundle");
        Path archive = p != null ? Path.of(p) : Path.of("target/weft-cni-bundle.tar.gz").toAbsolutePath();
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException(archive + " does not exist: build it with ./mvnw -pl cni-shim package");
        }
        return archive;
    }

    /** Unpacks the archive under {@code dir} and runs install.sh with a prefix and CNI bin dir under it. */
    public static Installed install(Path dir) {
        Path unpacked = dir.resolve("unpacked");
        Path prefix = dir.resolve("opt-weft");
        Path bin = dir.resolve("cni-bin");
        try {
            Files.createDirectories(unpacked);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.run("tar", "-C", unpacked.toString(), "-xzf", archive().toString());
        String out = runInstall(unpacked, "--prefix", prefix.toString(), "--cni-bin-dir", bin.toString()).orThrow();
        return new Installed(bin.resolve("weft"), bin, prefix, unpacked.resolve("weft-cni"), out);
    }

    /** Runs the unpacked bundle's install.sh with {@code args}. */
    public static Cmd.Result runInstall(Path unpacked, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", unpacked.resolve("weft-cni/install.sh").toString()));
        cmd.addAll(List.of(args));
        return Cmd.exec(Duration.ofSeconds(120), null, cmd);
    }
}
