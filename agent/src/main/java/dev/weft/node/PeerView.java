package dev.weft.node;

import java.util.Map;

import dev.weft.lease.NetConf;
import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.AnnotationKeys;
import dev.weft.lease.kube.PeerWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;

/** One consistent read of the peer set, through the agent's own parser, for status and doctor. */
record PeerView(Map<String, PeerInfo> peers, Map<String, String> invalid) {

    /** A list without a watch: a one-shot command has no use for one, and closing watches is not free for API servers. */
    static PeerView read(KubernetesClient client, String node, String prefix, NetConf conf) {
        try (PeerWatcher w = new PeerWatcher(client, node, new AnnotationKeys(prefix), conf.backend().vni(), () -> { },
                PeerWatcher.Options.defaults().withNetworks(conf))) {
            w.listOnce();
            return new PeerView(w.peers(), w.invalidPeers());
        }
    }
}
