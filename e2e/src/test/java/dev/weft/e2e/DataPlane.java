package dev.weft.e2e;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.e2e.cluster.Node;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Reads a node's VXLAN data plane with iproute2, as an operator would, to check what weft did. */
final class DataPlane {
    static final String DEVICE = "flannel.1";
    static final String PREFIX = "flannel.alpha.coreos.com/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataPlane() {
    }

    /** What a peer looks like from the API: its subnet, VTEP MAC and public IP. */
    record PeerRef(String node, String subnet, String mac, String publicIp) {
        String gateway() {
            return subnet.substring(0, subnet.indexOf('/'));
        }
    }

    static PeerRef peer(KubernetesClient client, String nodeName) throws IOException {
        var n = client.nodes().withName(nodeName).get();
        var ann = n.getMetadata().getAnnotations();
        String mac = JSON.readTree(ann.get(PREFIX + "backend-data")).path("VtepMAC").asText();
        return new PeerRef(nodeName, n.getSpec().getPodCIDR(), mac, ann.get(PREFIX + "public-ip"));
    }

    /** Which of the three entries for {@code peer} exist on {@code node}. */
    record Entries(boolean route, boolean neigh, boolean fdb, boolean device) {
        boolean all() {
            return route && neigh && fdb && device;
        }

        boolean none() {
            return !route && !neigh && !fdb;
        }
    }

    static Entries entries(Node node, PeerRef peer) throws IOException {
        var link = node.ns().exec(Duration.ofSeconds(10), "ip", "-j", "link", "show", DEVICE);
        if (!link.ok()) {
            return new Entries(false, false, false, false);
        }
        boolean route = false;
        for (JsonNode r : json(node, "ip", "-j", "route", "show", "dev", DEVICE)) {
            route |= peer.subnet().equals(r.path("dst").asText()) && peer.gateway().equals(r.path("gateway").asText());
        }
        boolean neigh = false;
        for (JsonNode r : json(node, "ip", "-j", "neigh", "show", "dev", DEVICE)) {
            neigh |= peer.gateway().equals(r.path("dst").asText()) && peer.mac().equalsIgnoreCase(r.path("lladdr").asText());
        }
        boolean fdb = false;
        for (JsonNode r : json(node, "bridge", "-j", "fdb", "show", "dev", DEVICE)) {
            fdb |= peer.mac().equalsIgnoreCase(r.path("mac").asText()) && peer.publicIp().equals(r.path("dst").asText());
        }
        return new Entries(route, neigh, fdb, true);
    }

    private static JsonNode json(Node node, String... cmd) throws IOException {
        var r = node.ns().exec(Duration.ofSeconds(10), cmd);
        if (!r.ok()) {
            throw new IOException(String.join(" ", cmd) + " in " + node + ": " + r.stderr());
        }
        String out = r.stdout().isBlank() ? "[]" : r.stdout();
        return JSON.readTree(out);
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; returns the wait. */
    static Duration await(Duration timeout, BooleanSupplier condition) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return Duration.between(start, Instant.now());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return condition.getAsBoolean() ? Duration.between(start, Instant.now()) : null;
    }

    /** {@link #entries} without the checked exception, for polling. */
    static Entries entriesQuietly(Node node, PeerRef peer) {
        try {
            return entries(node, peer);
        } catch (IOException e) {
            return new Entries(false, false, false, false);
        }
    }
}
