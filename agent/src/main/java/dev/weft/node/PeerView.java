package dev.weft.node;

import java.time.Duration;
import java.util.Map;

import dev.weft.lease.NetConf;
import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.AnnotationKeys;
import dev.weft.lease.kube.PeerWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;

/** One consistent read of the peer set, through the agent's own parser, for status and doctor. */
record PeerView(Map<String, PeerInfo> peers, Map<String, String> invalid) {

    static PeerView read(KubernetesClient client, String node, String prefix, NetConf conf) throws InterruptedException {
        try (PeerWatcher w = new PeerWatcher(client, node, new AnnotationKeys(prefix), conf.backend().vni(), () -> { },
                PeerWatcher.Options.defaults().withNetwork(conf.network()))) {
            w.start();
            if (!w.awaitSynced(Duration.ofSeconds(15))) {
                throw new IllegalStateException("could not list Nodes from the API within 15 s");
            }
            return new PeerView(w.peers(), w.invalidPeers());
        }
    }
}
