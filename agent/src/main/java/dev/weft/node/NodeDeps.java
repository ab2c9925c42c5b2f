package dev.weft.node;

import java.util.Optional;

import dev.weft.app.AgentConfig;
import dev.weft.iface.InterfaceSelector;
import dev.weft.lease.NetConf;
import dev.weft.lease.kube.NodePublisher;
import dev.weft.lease.kube.PeerWatcher;
import dev.weft.lease.kube.SubnetLeaser;
import dev.weft.masq.Masquerade;
import dev.weft.metrics.WeftMetrics;
import dev.weft.rtnl.RtnlClient;
import dev.weft.vtep.Vtep;

/** What the node's reconcile pass works with; all of it built once by {@link NodeAgent}. */
public record NodeDeps(AgentConfig config, NetConf netConf, InterfaceSelector selector, SubnetLeaser leaser,
                       NodePublisher publisher, PeerWatcher watcher, RtnlClient rtnl, Vtep vtep,
                       Optional<Masquerade> masquerade, WeftMetrics metrics) {
}
