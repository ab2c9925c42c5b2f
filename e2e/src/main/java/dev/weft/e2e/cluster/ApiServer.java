package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The cluster's API server: {@code dev.weft.e2e.api.MockApiServerMain} (fabric8's mock server in
 * CRUD mode) as its own process in the API namespace, listening on the underlay. Agents reach it
 * over the underlay; the harness reaches it through a loopback forwarder.
 */
public final class ApiServer implements AutoCloseable {
    public static final int PORT = 6443;

    private final Ns ns;
    private final Path dir;
    private final Artifacts artifacts;
    private final boolean tls;
    private Process process;
    private NsForwarder forwarder;
    private KubernetesClient client;

    public ApiServer(Ns ns, Path dir, Artifacts artifacts) {
        this(ns, dir, artifacts, false);
    }

    /**
     * @param tls serve HTTPS with a certificate for {@link Underlay#API_IP} (its CA in {@link #caFile()}),
     *            as agents configured in-cluster (service account, {@code KUBERNETES_SERVICE_HOST}) need
     */
    public ApiServer(Ns ns, Path dir, Artifacts artifacts, boolean tls) {
        this.ns = ns;
        this.dir = dir;
        this.artifacts = artifacts;
        this.tls = tls;
    }

    /** The URL agents use (plain HTTP unless built with TLS). */
    public static String url() {
        return "http://" + Underlay.API_IP + ":" + PORT;
    }

    /** The PEM certificate that signs the server's, written by the server at start; TLS mode only. */
    public Path caFile() {
        if (!tls) {
            throw new IllegalStateException("this API server speaks plain HTTP");
        }
        return dir.resolve("api-ca.crt");
    }

    /** Where the server keeps Nodes and Leases across a stop/start. */
    public Path stateFile() {
        return dir.resolve("api-state.json");
    }

    /** Writes a kubeconfig for agents in node namespaces. */
    public Path writeKubeconfig() throws IOException {
        Path f = dir.resolve("kubeconfig");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: weft-e2e
                  cluster: {server: "%s"}
                users:
                - name: weft-e2e
                  user: {}
                contexts:
                - name: weft-e2e
                  context: {cluster: weft-e2e, user: weft-e2e}
                current-context: weft-e2e
                """.formatted(url()));
        return f;
    }

    /** Starts the process and waits until it answers. */
    public synchronized void start() throws IOException {
        Path log = dir.resolve("api.log");
        List<String> cmd = new java.util.ArrayList<>(List.of(Artifacts.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", artifacts.e2eClasspath(), "dev.weft.e2e.api.MockApiServerMain",
                Underlay.API_IP, String.valueOf(PORT), stateFile().toString()));
        if (tls) {
            Files.deleteIfExists(caFile());
            cmd.addAll(List.of("--tls", caFile().toString()));
        }
        process = ns.spawn(cmd, Map.of(), log);
        awaitListening(log, Duration.ofSeconds(60));
    }

    /**
     * Stops the process like a real server going down. Its Nodes and Leases are written to
     * {@link #stateFile()} first (by the harness, through the API, so nothing depends on the
     * dying process's shutdown hook), and loaded again by {@link #start()}.
     */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive() && client != null) {
            saveState();
        }
        stopProcess();
    }

    /** SIGTERM, then SIGKILL after 15 s; no state saved (teardown must never fail half-way). */
    private void stopProcess() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    private void saveState() {
        try {
            dev.weft.e2e.api.MockApiServerMain.save(client, stateFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot save the API server's state before stopping it: " + e, e);
        }
    }

    public synchronized Process process() {
        return process;
    }

    /** The harness's client, through a loopback forwarder into the API namespace. */
    public synchronized KubernetesClient client() throws IOException {
        if (client == null) {
            forwarder = new NsForwarder(ns.name(), Underlay.API_IP, PORT);
            ConfigBuilder b = new ConfigBuilder(Config.empty());
            if (tls) {
                b.withCaCertFile(caFile().toString());
            }
            Config config = b
                    .withMasterUrl((tls ? "https" : "http") + "://127.0.0.1:" + forwarder.localPort())
                    .withRequestTimeout(10_000)
                    .withConnectionTimeout(5_000)
                    .build();
            client = new KubernetesClientBuilder().withConfig(config).build();
        }
        return client;
    }

    private void awaitListening(Path log, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("API server exited with " + process.exitValue() + "; log: " + Files.readString(log));
            }
            try {
                if (tls) {
                    if (Files.exists(caFile())) {
                        NsSockets.connect(ns.name(), Underlay.API_IP, PORT, Duration.ofSeconds(2)).close();
                        return;
                    }
                    pause(100);
                    continue;
                }
                NsSockets.get(ns.name(), Underlay.API_IP, PORT, "/api/v1/nodes", Duration.ofSeconds(2));
                return;
            } catch (IOException e) {
                pause(100);
            }
        }
        throw new IOException("API server did not answer within " + timeout + "; log: " + Files.readString(log));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (client != null) {
            client.close();
            client = null;
        }
        if (forwarder != null) {
            forwarder.close();
            forwarder = null;
        }
        stopProcess();
    }
}
