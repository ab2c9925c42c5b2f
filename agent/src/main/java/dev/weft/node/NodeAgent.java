package dev.weft.node;

import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.app.AgentConfig;
import dev.weft.app.AgentRunner;
import dev.weft.app.AgentRuntime;
import dev.weft.app.ConfigException;
import dev.weft.app.ShutdownSignal;
import dev.weft.iface.InterfaceSelector;
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
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlEvent;
import dev.weft.rtnl.RtnlGroup;
import dev.weft.rtnl.RtnlMonitor;
import dev.weft.vtep.Vtep;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code weft agent}: builds the node's collaborators once, starts the single-writer reconcile
 * loop, and feeds it from the Node watch and the netlink monitor, which only ever enqueue.
 * Returns 0 on SIGTERM/SIGINT, leaving the data plane in place for pods.
 */
public final class NodeAgent implements AgentRunner {
    /** Reason prefix of passes the netlink monitor asked for; such passes count repairs. */
    public static final String NETLINK_REASON = "netlink";
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    @Override
    public int run(AgentConfig config, ShutdownSignal shutdown) throws Exception {
        // The API client is the longest single step of a start (kubeconfig, Jackson, Vert.x, the TLS trust store) and
        // needs nothing else: it is built on its own thread while this one reads net-conf.json, probes the firewall
        // and opens netlink.
        try (ClientInBackground api = ClientInBackground.start(() -> KubeClients.create(config.kubeconfig()))) {
            NetConf netConf = readNetConf(config);
            if (netConf.backend().vni() < 0) {
                throw new ConfigException("net-conf.json Backend.VNI must not be negative");
            }
            Optional<Masquerade> masq = config.ipMasq() ? Optional.of(Masquerade.detect(ProcessExec.host())) : Optional.empty();
            try (RtnlClient rtnl = RtnlClient.open(Netns.current());
                 WeftMetrics metrics = new WeftMetrics();
                 KubernetesClient client = api.take()) {
                serve(config, netConf, client, rtnl, metrics, masq, shutdown);
            }
        }
        return 0;
    }

    private static void serve(AgentConfig config, NetConf netConf, KubernetesClient client, RtnlClient rtnl,
                              WeftMetrics metrics, Optional<Masquerade> masq, ShutdownSignal shutdown) throws Exception {
        AnnotationKeys keys = new AnnotationKeys(config.annotationPrefix());
        Vtep vtep = new Vtep(rtnl);
        Trigger trigger = new Trigger();
        PeerWatcher watcher = new PeerWatcher(client, config.nodeName(), keys, netConf.backend().vni(),
                listener(trigger, metrics), PeerWatcher.Options.defaults().withNetworks(netConf));
        // The Node list is the longest step of a start with many peers: it runs while the rest is set
        // up, and each pass programs the peers of the pages read by then (a slow list announces its
        // pages once a second; a quick one is programmed in one pass at its end).
        watcher.start();
        try {
            NodeDeps deps = new NodeDeps(config, netConf, new InterfaceSelector(new NetlinkHostInterfaces(rtnl)),
                    new SubnetLeaser(client, config.nodeName(), netConf, config.leaseNamespace()),
                    new NodePublisher(client, config.nodeName(), keys), watcher, rtnl, vtep, masq, metrics);
            NodePass pass = new NodePass(deps);
            List<String> devices = pass.deviceNames();
            EnumSet<RtnlGroup> groups = EnumSet.of(RtnlGroup.LINK, RtnlGroup.NEIGHBOUR, RtnlGroup.NEXTHOP);
            if (netConf.enableIpv4()) {
                groups.add(RtnlGroup.IPV4_ROUTE);
            }
            if (netConf.enableIpv6()) {
                groups.add(RtnlGroup.IPV6_ROUTE);
            }
            try (AgentRuntime<NodeState> runtime = AgentRuntime.start(pass, NodeState::readiness,
                    config.resyncPeriod(), AgentRuntime.healthzAddress(config), metrics);
                 RtnlMonitor monitor = RtnlMonitor.open(Netns.current(), groups,
                         e -> onKernelEvent(e, devices::contains, pass::isOwnDevice, trigger))) {
                trigger.target = runtime;
                trigger.fire("peers"); // pages may have arrived before the runtime could hear of them
                LOG.info("weft agent started on node {} (network {}, {} backend, VNI {}, devices {})", config.nodeName(),
                        netConf.clusterNetworks().stream().map(Object::toString).collect(Collectors.joining(" and ")),
                        netConf.backend().type(), netConf.backend().vni(), devices.isEmpty() ? "none" : String.join(", ", devices));
                shutdown.await();
                LOG.info("stopping ({}); the data plane stays in place", shutdown.reason().orElse("signal"));
            }
        } finally {
            watcher.close();
        }
    }

    private static NetConf readNetConf(AgentConfig config) throws ConfigException {
        try {
            return NetConf.parse(Files.readString(config.netConfPath()),
                    w -> LOG.warn("{}: {}", config.netConfPath(), w));
        } catch (IOException e) {
            throw new ConfigException("cannot read --net-config-path " + config.netConfPath() + ": " + e.getMessage());
        } catch (dev.weft.lease.ConfigException e) {
            throw new ConfigException(config.netConfPath() + ": " + e.getMessage());
        }
    }

    private static PeerListener listener(Trigger trigger, WeftMetrics metrics) {
        return new PeerListener() {
            @Override
            public void peersChanged() {
                trigger.fire("peers");
            }

            @Override
            public void invalidPeer(String node, String reason) {
                trigger.fire("invalid-peer");
            }

            @Override
            public void watchState(boolean connected, String detail) {
                if (!connected) {
                    metrics.watchRestarted("nodes");
                }
                trigger.fire("watch");
            }
        };
    }

    /**
     * Deletions of the device or of entries on it (and of weft's direct routes) ask for a pass,
     * which puts them back. Additions are usually the agent's own writes and need nothing.
     */
    static void onKernelEvent(RtnlEvent e, Predicate<String> isDeviceName, IntPredicate isDevice, Trigger trigger) {
        switch (e) {
            case RtnlEvent.LinkEvent l when isDeviceName.test(l.link().name()) || isDevice.test(l.link().index()) ->
                    trigger.fire(NETLINK_REASON + ":link");
            case RtnlEvent.NeighbourEvent n when n.action() == RtnlEvent.Action.DELETED
                    && isDevice.test(n.neighbour().index()) -> trigger.fire(NETLINK_REASON + ":neigh");
            case RtnlEvent.FdbEvent f when f.action() == RtnlEvent.Action.DELETED
                    && isDevice.test(f.entry().index()) -> trigger.fire(NETLINK_REASON + ":fdb");
            case RtnlEvent.RouteEvent r when r.action() == RtnlEvent.Action.DELETED
                    && r.route().protocol() == Vtep.ROUTE_PROTOCOL -> trigger.fire(NETLINK_REASON + ":route");
            // Deleting a nexthop takes its routes along without a route notification for each (IPv4).
            case RtnlEvent.NexthopEvent n when n.action() == RtnlEvent.Action.DELETED
                    && n.nexthop().protocol() == Vtep.ROUTE_PROTOCOL -> trigger.fire(NETLINK_REASON + ":nexthop");
            case RtnlEvent.Overflow o -> trigger.fire(NETLINK_REASON + ":overflow");
            case RtnlEvent.Stopped s -> LOG.warn("netlink monitor stopped ({}); relying on the periodic resync",
                    s.cause() == null ? "closed" : s.cause().getMessage());
            default -> {
            }
        }
    }

    /** Forwards triggers to the runtime once it exists; earlier ones are covered by the first pass. */
    static final class Trigger {
        volatile AgentRuntime<?> target;

        void fire(String reason) {
            AgentRuntime<?> t = target;
            if (t != null) {
                t.trigger(reason);
            }
        }
    }
}
