package dev.weft.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.weft.e2e.cluster.Pod;

/** A continuous ping (every 20 ms) from one pod to another, counted when it ends. */
final class Pinger implements AutoCloseable {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private final Process process;
    private final Path out;
    private final String label;

    private Pinger(Process process, Path out, String label) {
        this.process = process;
        this.out = out;
        this.label = label;
    }

    /** Starts {@code count} pings at 20 ms intervals; a reply later than 1 s counts as lost. */
    static Pinger start(Pod from, Pod to, int count) throws IOException {
        Path out = Files.createTempFile("weft-ping", ".txt");
        Process p = new ProcessBuilder(List.of("ip", "netns", "exec", from.ns().name(),
                "ping", "-n", "-q", "-i", "0.02", "-W", "1", "-c", String.valueOf(count), to.ip()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new Pinger(p, out, from + " -> " + to);
    }

    /** Waits for the pings to finish and returns {transmitted, received}. */
    long[] finish(long timeoutSeconds) throws IOException, InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        String text = Files.readString(out);
        Matcher m = SUMMARY.matcher(text);
        if (!m.find()) {
            throw new IOException(label + ": no ping summary in: " + text);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    String label() {
        return label;
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(out);
    }
}
