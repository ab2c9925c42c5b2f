package dev.weft.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.weft.doctor.DoctorCheck;
import dev.weft.doctor.Finding;
import dev.weft.masq.Exec;
import dev.weft.masq.ProcessExec;
import dev.weft.status.StatusSource;

/**
 * The collaborators the CLI commands call: the parts that need the data plane (vxlan/) and the
 * API (subnet-lease/) sit behind these interfaces, and tests substitute their own.
 *
 * @param agent          runs {@code weft agent}
 * @param status         reads the state {@code weft status} shows
 * @param dataPlaneDoctor the doctor checks that need netlink and the API
 * @param deviceCleanup  removes the VXLAN device for {@code weft cleanup}
 * @param firewall       runs iptables/nft (masquerade check and removal)
 * @param proc           the proc filesystem root, {@code /proc}
 * @param shutdown       makes the agent's stop signal (SIGTERM/SIGINT in production; tests must not take over signals)
 */
public record WeftServices(AgentRunner agent, StatusSource status, DoctorCheck dataPlaneDoctor,
                           DeviceCleanup deviceCleanup, Exec firewall, Path proc, Supplier<ShutdownSignal> shutdown) {
    public WeftServices {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dataPlaneDoctor, "dataPlaneDoctor");
        Objects.requireNonNull(deviceCleanup, "deviceCleanup");
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(proc, "proc");
        Objects.requireNonNull(shutdown, "shutdown");
    }

    /**
     * This build's services. The data-plane parts are not connected yet: they say so (an error,
     * exit 1, or a WARN doctor line), never pretend.
     */
    public static WeftServices defaults() {
        return new WeftServices(
                (config, shutdown) -> {
                    throw new NotWiredException("the data plane (VXLAN device, lease, peers)");
                },
                request -> {
                    throw new NotWiredException("reading lease, device and peers");
                },
                request -> List.of(Finding.warn("data plane",
                        "interface, MTU, device, per-peer ARP/FDB/route and offload checks are not wired into this build",
                        "use a weft build that includes the data-plane wiring")),
                request -> {
                    throw new NotWiredException("removing the VXLAN device");
                },
                ProcessExec.host(),
                Path.of("/proc"),
                ShutdownSignal::onTermAndInt);
    }
}
