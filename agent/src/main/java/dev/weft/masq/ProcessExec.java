package dev.weft.masq;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Exec} over {@link ProcessBuilder}, with an optional command prefix (tests use
 * {@code ip netns exec <ns>}) and a time limit after which the process is killed.
 */
public final class ProcessExec implements Exec {
    private final List<String> prefix;
    private final Duration timeout;

    public ProcessExec(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
    }

    /** Runs commands directly on the host, 10 s limit each. */
    public static ProcessExec host() {
        return new ProcessExec(List.of(), Duration.ofSeconds(10));
    }

    /** Runs commands inside the named network namespace ({@code ip netns exec <name> ...}). */
    public static ProcessExec inNetns(String name) {
        return new ProcessExec(List.of("ip", "netns", "exec", name), Duration.ofSeconds(10));
    }

    @Override
    public ExecResult run(List<String> command, String stdin) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).start();
        // Drain both pipes concurrently: a tool blocked on a full stderr pipe would never exit.
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toMillis() + "ms");
            }
            return new ExecResult(command, p.exitValue(), out.get(2, TimeUnit.SECONDS), err.get(2, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot read the output of " + String.join(" ", command), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().name("weft-exec-drain").start(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                f.complete(b.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }
}
