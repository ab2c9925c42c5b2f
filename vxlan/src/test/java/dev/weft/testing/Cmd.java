package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command for tests, bounded in time, capturing stdout and stderr.
 * Production code never execs tools; tests use {@code ip}, {@code bridge} and friends to set up
 * topology and to cross-check what weft's netlink code did.
 */
public final class Cmd {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Result of one finished command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns stdout, or throws with the whole story when the command failed. */
        public String orThrow() {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode
                        + (stderr.isBlank() ? "" : ": " + stderr.strip()));
            }
            return stdout;
        }
    }

    private Cmd() {
    }

    /** Runs the command and throws unless it exits 0; returns stdout. */
    public static String run(String... command) {
        return exec(DEFAULT_TIMEOUT, null, List.of(command)).orThrow();
    }

    /** Runs the command and returns its result whatever the exit code. */
    public static Result exec(String... command) {
        return exec(DEFAULT_TIMEOUT, null, List.of(command));
    }

    /** Runs the command with {@code stdin} fed to it, bounded by {@code timeout}. */
    public static Result exec(Duration timeout, String stdin, List<String> command) {
        return exec(timeout, stdin, java.util.Map.of(), command);
    }

    /** Runs the command with extra environment variables and {@code stdin}, bounded by {@code timeout}. */
    public static Result exec(Duration timeout, String stdin, java.util.Map<String, String> env, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("weft-cmd", ".out");
            err = Files.createTempFile("weft-cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(List.copyOf(command), p.exitValue(),
                    Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
