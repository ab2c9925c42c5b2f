package dev.weft.e2e.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.weft.lease.SubnetPool;
import dev.weft.net.IpPrefix;

/**
 * An existing cluster's API server in place of the mock server process, given by a kubeconfig.
 *
 * <p>Agents get the kubeconfig file unchanged. Its server must be on the machine's loopback (as
 * kind, k3s, k3d and minikube's docker driver write it): inside every node namespace a
 * {@link ReverseForwarder} listens on that same address and port and pipes each connection to
 * the real server from the root namespace. Host name, certificates and credentials stay exactly
 * as the user's tools use them, TLS is verified end to end, and nothing is added to the root
 * namespace. A server elsewhere would need a rewritten URL, and verifying TLS against it would
 * need {@code tls-server-name}, which the agents' HTTP client ignores; such kubeconfigs are
 * refused with that reason (see {@link #endpoint}).
 *
 * <p>The harness plays kubelet and kube-controller-manager for its own nodes. It registers them
 * labelled {@value #RUN_LABEL}{@code =<run id>}, tainted and unschedulable so the scheduler keeps
 * real pods off them (DaemonSets that tolerate everything still get Pending pods there, which the
 * pod garbage collector removes once the Nodes are gone), with {@code spec.podCIDR} already set to
 * a free subnet of the run's Network (otherwise a controller manager with
 * {@code --allocate-node-cidrs} would hand them subnets of the real cluster's range). The agents
 * use a per-run annotation prefix, so the real cluster's flannel or weft never takes them for
 * peers and they never take real nodes for peers. {@link #close()} deletes those Nodes and any
 * subnet lock Lease they hold; the Events the agents reported about them expire with the
 * cluster's event TTL.
 *
 * <p>Credentials in the kubeconfig are never printed: only scheme, host and port of the server.
 */
public final class ExternalApi implements AutoCloseable {
    public static final String RUN_LABEL = "weft.dev/e2e-run";
    private static final String LEASE_LABEL = "weft.dev/subnet-lock";

    private final Path kubeconfig;
    private final Endpoint endpoint;
    private final String runId;
    private final KubernetesClient client;
    private final Set<String> registered = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<IpPrefix> assigned = Collections.synchronizedSet(new HashSet<>());
    private final List<ReverseForwarder> forwarders = Collections.synchronizedList(new ArrayList<>());

    private ExternalApi(Path kubeconfig, Endpoint endpoint, String runId, KubernetesClient client) {
        this.kubeconfig = kubeconfig;
        this.endpoint = endpoint;
        this.runId = runId;
        this.client = client;
    }

    /**
     * Where agents find the server inside a node namespace and where the forwarders find it from
     * the root namespace.
     *
     * @param server   scheme, host and port only: safe to print
     * @param local    addresses to listen on inside every node namespace
     * @param upstream the server's addresses as the root namespace resolves them, tried in order
     */
    record Endpoint(String server, List<InetSocketAddress> local, List<InetSocketAddress> upstream) {
    }

    /** Reads {@code kubeconfig}, checks its server is usable from node namespaces and answers. */
    public static ExternalApi connect(Path kubeconfig, String runId) throws IOException {
        Path file = kubeconfig.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("kubeconfig " + file + " is not a readable file");
        }
        Config config = Config.fromKubeconfig(file.toFile()); // relative certificate paths resolve against its directory
        Endpoint endpoint = endpoint(config.getMasterUrl());
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(10_000);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            client.nodes().list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            client.close();
            throw new IOException("the API server of " + file + " (" + endpoint.server() + ") does not answer a node list: "
                    + e.getMessage(), e);
        }
        return new ExternalApi(file, endpoint, runId, client);
    }

    /**
     * The endpoint of a server URL, or why agents in node namespaces could not use it.
     *
     * @throws IllegalArgumentException when the server is not on the machine's loopback
     */
    static Endpoint endpoint(String masterUrl) {
        URI uri = URI.create(masterUrl);
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (host == null || !("https".equals(scheme) || "http".equals(scheme))) {
            throw new IllegalArgumentException("the kubeconfig's server is not an http(s) URL with a host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String server = scheme + "://" + host + ":" + port;
        if (port == Node.HEALTH_PORT) {
            throw new IllegalArgumentException("the kubeconfig's server " + server + " uses port " + port
                    + ", which the agents' health server takes inside every node namespace");
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the kubeconfig's server " + server, e);
        }
        Set<InetSocketAddress> local = new LinkedHashSet<>();
        List<InetSocketAddress> upstream = new ArrayList<>();
        for (InetAddress a : all) {
            if (!a.isLoopbackAddress() && !a.isAnyLocalAddress()) {
                throw new IllegalArgumentException(notOnLoopback(server, a));
            }
            // 0.0.0.0 (k3d writes it) reaches the local host; inside a node namespace that is its own loopback.
            InetAddress listen = a.isAnyLocalAddress() ? loopbackLike(a) : a;
            local.add(new InetSocketAddress(listen, port));
            upstream.add(new InetSocketAddress(listen, port));
        }
        return new Endpoint(server, List.copyOf(local), List.copyOf(upstream));
    }

    private static InetAddress loopbackLike(InetAddress any) {
        try {
            return InetAddress.getByName(any.getAddress().length == 4 ? "127.0.0.1" : "::1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String notOnLoopback(String server, InetAddress a) {
        return "the kubeconfig's server " + server + " (" + a.getHostAddress() + ") is not on this machine's loopback. "
                + "Agents run in node namespaces that reach the machine only through forwarders on their own loopback, "
                + "so they would need a rewritten server URL, and verifying TLS against it needs tls-server-name, which "
                + "the agents' HTTP client (fabric8's Vert.x client) ignores; weft does not turn verification off. "
                + "Use a local cluster's kubeconfig (kind, k3s, k3d, minikube with the docker driver), or run "
                + "`kubectl proxy --port 8001` and pass a kubeconfig whose server is http://127.0.0.1:8001";
    }

    /** The user's kubeconfig, which the agents use unchanged. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Scheme, host and port of the server, without credentials. */
    public String server() {
        return endpoint.server();
    }

    /** The annotation prefix of this run's agents: {@code <run id>.e2e.weft.dev}. */
    public String annotationPrefix() {
        return runId + ".e2e.weft.dev";
    }

    public String runId() {
        return runId;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Starts the forwarders that let processes inside {@code ns} reach the server at its kubeconfig address. */
    public void forwardInto(Ns ns) throws IOException {
        for (InetSocketAddress local : endpoint.local()) {
            forwarders.add(new ReverseForwarder(ns.name(), local, endpoint.upstream()));
        }
    }

    /**
     * Registers node {@code name} with the first subnet of {@code pool} that no Node in the cluster
     * uses, and returns that subnet.
     */
    public synchronized IpPrefix registerNode(String name, SubnetPool pool) throws IOException {
        Set<IpPrefix> used = new HashSet<>(assigned);
        for (var n : client.nodes().list().getItems()) {
            if (n.getSpec() != null && n.getSpec().getPodCIDRs() != null) {
                n.getSpec().getPodCIDRs().forEach(c -> used.add(IpPrefix.parseCidr(c)));
            }
        }
        // Skip the network's first subnet, as flannel's default SubnetMin does.
        IpPrefix subnet = pool.stream().skip(pool.size() > 1 ? 1 : 0).filter(s -> used.stream().noneMatch(s::overlaps))
                .findFirst().orElseThrow(() -> new IOException("no free /" + pool.subnetLen() + " left in " + pool.network()));
        try {
            client.nodes().resource(new NodeBuilder()
                    .withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name).addToLabels(RUN_LABEL, runId).endMetadata()
                    .withNewSpec().withPodCIDR(subnet.toString()).withPodCIDRs(subnet.toString()).withUnschedulable(true)
                    .addNewTaint().withKey(RUN_LABEL).withValue(runId).withEffect("NoSchedule").endTaint()
                    .endSpec().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new IOException("Node " + name + " already exists in " + server() + "; if an earlier run left it: "
                        + "kubectl delete node -l " + RUN_LABEL + "=" + runId, e);
            }
            throw e;
        }
        registered.add(name);
        assigned.add(subnet);
        return subnet;
    }

    /**
     * Deletes this run's Nodes and the subnet lock Leases they hold. A real API server's garbage
     * collector would remove the Leases with their Nodes; the mock server has none, so they go
     * explicitly.
     */
    private int deleteOwnObjects() {
        Set<String> names = new LinkedHashSet<>(registered);
        client.nodes().withLabel(RUN_LABEL, runId).list().getItems().forEach(n -> names.add(n.getMetadata().getName()));
        for (Lease l : client.leases().inNamespace(Node.LEASE_NAMESPACE).withLabel(LEASE_LABEL, "true").list().getItems()) {
            String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
            if (holder != null && names.contains(holder)) {
                client.leases().inNamespace(Node.LEASE_NAMESPACE).withName(l.getMetadata().getName()).delete();
            }
        }
        for (String name : names) {
            client.nodes().withName(name).delete();
        }
        return names.size();
    }

    /**
     * Removes the Nodes (and their Leases) that run {@code runId} left in the cluster of
     * {@code kubeconfig}, e.g. after its process was killed; returns how many Nodes there were.
     */
    public static int removeLeftovers(Path kubeconfig, String runId) throws IOException {
        try (ExternalApi api = connect(kubeconfig, runId)) {
            return api.deleteOwnObjects();
        }
    }

    /** Stops the forwarders, deletes this run's objects from the cluster, closes the client. */
    @Override
    public void close() {
        forwarders.forEach(ReverseForwarder::close);
        forwarders.clear();
        try {
            deleteOwnObjects();
        } catch (RuntimeException e) {
            System.err.println("could not remove this run's Nodes from " + server() + " (" + e.getMessage()
                    + "); remove them with: kubectl delete node -l " + RUN_LABEL + "=" + runId);
        } finally {
            client.close();
        }
    }
}
