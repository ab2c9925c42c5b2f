package dev.weft.cni.shim;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;
import dev.weft.cni.state.StateStore;
import dev.weft.cni.types.Attachment;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Result;
import dev.weft.net.IpPrefix;

/**
 * CHECK: is the container still networked the way ADD left it? In order, cheapest first:
 * <ol>
 * <li>prevResult is present and names at least one address on CNI_IFNAME;</li>
 * <li>weft has saved state for the attachment (else DEL could not replay it);</li>
 * <li>subnet.env is there and every address still lies in this node's subnet (a changed lease
 *     strands pods);</li>
 * <li>the delegate's CHECK with prevResult (bridge checks the veth, the bridge and the container
 *     interface's addresses; host-local checks the reservation);</li>
 * <li>the pod interface itself through {@link PodInterfaceProbe}.</li>
 * </ol>
 */
final class CheckCommand {
    private final Invocation inv;
    private final PodInterfaceProbe probe;

    CheckCommand(Invocation inv, PodInterfaceProbe probe) {
        this.inv = inv;
        this.probe = probe;
    }

    void run() throws CniException {
        Attachment a = inv.attachment();
        Result prev = inv.prevResult();
        if (prev == null) {
            throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG,
                    "CHECK needs prevResult, the result of the container's ADD, in the configuration");
        }
        List<IpPrefix> expected = prev.sandboxAddresses(a.ifName());
        if (expected.isEmpty()) {
            throw failed("prevResult lists no address on the container interface " + a.ifName());
        }
        StateStore store = inv.store();
        JsonObject delegateConf;
        try (StateStore.Lock lock = store.lock(false)) {
            delegateConf = WeftPlugin.savedDelegate(inv, store, a);
        }
        if (delegateConf == null) {
            throw failed("weft has no saved state for " + a + " in " + store.dir()
                    + ": the container was not added through this network or its state was lost");
        }
        checkSubnet(inv.subnetEnv(), expected);
        inv.call(Command.CHECK, Invocation.withPrevResult(delegateConf, prev), a, inv.args.netns());
        probe(a, expected);
    }

    private static void checkSubnet(SubnetEnv env, List<IpPrefix> expected) throws CniException {
        for (IpPrefix p : expected) {
            IpPrefix subnet = p.isIpv4() ? env.subnet4() : env.subnet6();
            if (subnet == null || !subnet.network().contains(p.address())) {
                throw failed("address " + p + " is outside this node's subnet " + (subnet == null
                        ? "(subnet.env has no IPv" + (p.isIpv4() ? "4" : "6") + " subnet)" : subnet.network())
                        + ": subnet.env changed since ADD; recreate the pod");
            }
        }
    }

    private void probe(Attachment a, List<IpPrefix> expected) throws CniException {
        if (!probe.available()) {
            inv.log.info("pod interface probe not available in this build; " + a.ifName()
                    + " was checked by the delegate's CHECK only");
            return;
        }
        Optional<String> problem = probe.problem(Path.of(inv.args.netns()), a.ifName(), expected);
        if (problem.isPresent()) {
            throw failed(problem.get());
        }
    }

    private static CniException failed(String msg) {
        return new CniException(ErrorCodes.CHECK_FAILED, "CHECK failed: " + msg);
    }
}
