package dev.weft.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.app.AgentConfig;
import dev.weft.app.AgentRunner;
import dev.weft.app.AgentRuntime;
import dev.weft.app.ShutdownSignal;
import dev.weft.lease.NetConf;
import dev.weft.lease.kube.AnnotationKeys;
import dev.weft.lease.kube.KubeClients;
import dev.weft.lease.kube.NodePublisher;
import dev.weft.lease.kube.PeerListener;
import dev.weft.lease.kube.PeerWatcher;
import dev.weft.lease.kube.SubnetLeaser;
import dev.weft.masq.Masquerade;
import dev.weft.masq.ProcessExec;
import dev.weft.metrics.WeftMetrics;
import dev.weft.netns.Netns;
import dev.weft.node.ClientInBackground;
import dev.weft.node.NodeState;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlGroup;
import dev.weft.rtnl.RtnlMonitor;
import dev.weft.vtep.Vtep;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code weft agent} for the AOT training run: {@link dev.weft.node.NodeAgent}'s wiring with the
 * same collaborators (fabric8 client, netlink socket and monitor, metrics, reconcile loop, health
 * server, Node watch), except that nothing is written to the kernel or the firewall: the pass is
 * {@link TrainingPass} and the firewall tools are {@link CannedFirewall}. Runs until the node is
 * ready, its peers are programmed (planned) and the health server has answered, then returns.
 */
final class TrainingAgent implements AgentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingAgent.class);
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Override
    public int run(AgentConfig config, ShutdownSignal shutdown) throws Exception {
        try (ClientInBackground api = ClientInBackground.start(() -> KubeClients.create(config.kubeconfig()))) {
            NetConf netConf = NetConf.parse(Files.readString(config.netConfPath()), w -> LOG.warn("net-conf: {}", w));
            // A real process through the real runner, as the firewall tools are run (a harmless one).
            ProcessExec.host().run(List.of("cat"), "training");
            Masquerade masq = Masquerade.detect(new CannedFirewall());
            try (RtnlClient rtnl = RtnlClient.open(Netns.current());
                 WeftMetrics metrics = new WeftMetrics();
                 KubernetesClient client = api.take()) {
                serve(config, netConf, client, rtnl, metrics, masq);
            }
        }
        return 0;
    }

    private static void serve(AgentConfig config, NetConf netConf, KubernetesClient client, RtnlClient rtnl,
                              WeftMetrics metrics, Masquerade masq) throws Exception {
        AnnotationKeys keys = new AnnotationKeys(config.annotationPrefix());
        AtomicReference<AgentRuntime<?>> target = new AtomicReference<>();
        PeerWatcher watcher = new PeerWatcher(client, config.nodeName(), keys, netConf.backend().vni(),
                listener(target), PeerWatcher.Options.defaults().withNetworks(netConf));
        TrainingPass pass = new TrainingPass(config, netConf, rtnl, new Vtep(rtnl),
                new SubnetLeaser(client, config.nodeName(), netConf, config.leaseNamespace()),
                new NodePublisher(client, config.nodeName(), keys), watcher, masq, metrics);
        // Port 0: the training must not depend on a free well-known port.
        try (AgentRuntime<NodeState> runtime = AgentRuntime.start(pass, NodeState::readiness, config.resyncPeriod(),
                Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), metrics);
             RtnlMonitor monitor = RtnlMonitor.open(Netns.current(),
                     EnumSet.of(RtnlGroup.LINK, RtnlGroup.NEIGHBOUR, RtnlGroup.IPV4_ROUTE),
                     e -> runtime.trigger("netlink"))) {
            target.set(runtime);
            watcher.start();
            InetSocketAddress health = runtime.healthzBound().orElseThrow();
            awaitHttp(health, "/readyz");
            if (!watcher.awaitSynced(BOUND)) {
                throw new IllegalStateException("the Node list never arrived");
            }
            pass.awaitPeersPlanned(BOUND);
            runtime.trigger("training");
            awaitHttp(health, "/healthz");
            String scrape = awaitHttp(health, "/metrics");
            if (!scrape.contains("weft_")) {
                throw new IllegalStateException("/metrics has no weft_ metric");
            }
            LOG.info("training agent ready, {} peers planned", pass.peersPlanned());
        } finally {
            watcher.close();
        }
    }

    private static PeerListener listener(AtomicReference<AgentRuntime<?>> target) {
        return new PeerListener() {
            @Override
            public void peersChanged() {
                fire("peers");
            }

            @Override
            public void invalidPeer(String node, String reason) {
                fire("invalid-peer");
            }

            @Override
            public void watchState(boolean connected, String detail) {
                fire("watch");
            }

            private void fire(String reason) {
                AgentRuntime<?> r = target.get();
                if (r != null) {
                    r.trigger(reason);
                }
            }
        };
    }

    /** GETs {@code path} until it answers 200 (bounded), as a kubelet probe or a Prometheus scrape would. */
    private static String awaitHttp(InetSocketAddress at, String path) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(at, path);
            if (last.startsWith("HTTP/1.1 200") || last.startsWith("HTTP/1.0 200")) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(path + " did not answer 200 within " + BOUND + ": " + last.lines().findFirst().orElse(""));
    }

    private static String get(InetSocketAddress at, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
    }
}
