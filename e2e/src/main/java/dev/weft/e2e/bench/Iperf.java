package dev.weft.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.e2e.cluster.Ns;
import dev.weft.testing.Cmd;

/**
 * One iperf3 TCP run between two namespaces: a one-off server ({@code iperf3 -s -1}) this JVM
 * starts and owns, a client with JSON output. Both are bounded in time; a server still alive after
 * its client is killed by its PID.
 */
final class Iperf {
    static final int PORT = 5201;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the receiver saw.
     *
     * @param gbits     receiver throughput in Gbit/s
     * @param bytesSent bytes the client sent
     */
    record Result(double gbits, long bytesSent) {
    }

    private Iperf() {
    }

    /** {@code streams} parallel TCP flows for {@code seconds} from {@code client} to {@code dst} served in {@code server}. */
    static Result run(Ns server, Ns client, String dst, int seconds, int streams) throws IOException, InterruptedException {
        Path serverLog = Files.createTempFile("weft-iperf3-server", ".log");
        Process srv = new ProcessBuilder("ip", "netns", "exec", server.name(), "iperf3", "-s", "-1", "-B", dst,
                "-p", String.valueOf(PORT), "--forceflush", "--rcv-timeout", String.valueOf((seconds + 10) * 1000))
                .redirectErrorStream(true).redirectOutput(serverLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            awaitListening(srv, serverLog);
            Cmd.Result r = client.exec(Duration.ofSeconds(seconds + 20), "iperf3", "-c", dst, "-p", String.valueOf(PORT),
                    "-t", String.valueOf(seconds), "-P", String.valueOf(streams), "--connect-timeout", "5000", "-J");
            JsonNode out = r.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.stdout());
            if (!r.ok() || out.has("error")) {
                throw new IOException("iperf3 " + client.name() + " -> " + dst + " exited " + r.exitCode() + ": "
                        + out.path("error").asText(r.stderr().strip()));
            }
            JsonNode end = out.path("end");
            return new Result(end.path("sum_received").path("bits_per_second").asDouble() / 1e9,
                    end.path("sum_sent").path("bytes").asLong());
        } finally {
            if (!srv.waitFor(5, TimeUnit.SECONDS)) {
                srv.destroyForcibly();
                srv.waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(serverLog);
        }
    }

    /** iperf3 prints "Server listening" once its socket is bound; polls its log for that, bounded. */
    private static void awaitListening(Process srv, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(log);
            if (text.contains("Server listening")) {
                return;
            }
            if (!srv.isAlive()) {
                throw new IOException("iperf3 server exited " + srv.exitValue() + ": " + text.strip());
            }
            Thread.sleep(10);
        }
        throw new IOException("iperf3 server not listening within " + LISTEN_TIMEOUT + ": " + Files.readString(log).strip());
    }

    /** Round-trip times in µs of {@code count} pings 10 ms apart from {@code from} to {@code dst}. */
    static List<Double> pingRtts(Ns from, String dst, int count) throws IOException {
        Cmd.Result r = from.exec(Duration.ofSeconds(count / 50 + 15), "ping", "-n", "-i", "0.01", "-W", "1",
                "-c", String.valueOf(count), dst);
        List<Double> rtts = r.stdout().lines().filter(l -> l.contains(" time="))
                .map(l -> Double.parseDouble(l.substring(l.indexOf(" time=") + 6).split(" ")[0]) * 1000).toList();
        if (rtts.isEmpty()) {
            throw new IOException("ping " + from.name() + " -> " + dst + " got no answer: " + r.stdout() + r.stderr());
        }
        return rtts;
    }
}
