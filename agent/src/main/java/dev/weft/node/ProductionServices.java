package dev.weft.node;

import java.nio.file.Path;

import dev.weft.app.ShutdownSignal;
import dev.weft.app.WeftServices;
import dev.weft.masq.ProcessExec;

/** The services of a real weft: netlink in the current namespace, the Kubernetes API, iptables/nft. */
public final class ProductionServices {
    private ProductionServices() {
    }

    public static WeftServices create() {
        return new WeftServices(new NodeAgent(), new KernelStatus(), new DataPlaneDoctor(), new DeviceRemoval(),
                ProcessExec.host(), Path.of("/proc"), ShutdownSignal::onTermAndInt);
    }
}
