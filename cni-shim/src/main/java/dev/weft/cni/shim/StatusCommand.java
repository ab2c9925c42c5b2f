package dev.weft.cni.shim;

import dev.weft.cni.skel.Command;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ErrorCodes;

/**
 * STATUS: weft can serve ADDs when subnet.env is there and complete (code 50 otherwise). The
 * delegate is asked too, but only when it speaks 1.1.0: the v1.1.x standard plugins stop at
 * 1.0.0 and would treat STATUS as an unknown command.
 */
final class StatusCommand {
    private StatusCommand() {
    }

    static void run(Invocation inv) throws CniException {
        SubnetEnv env;
        try {
            env = inv.subnetEnv();
        } catch (CniException e) {
            throw new CniException(ErrorCodes.PLUGIN_NOT_AVAILABLE, "weft is not ready: " + e.msg(), e.details());
        }
        String type = inv.conf.delegateType();
        boolean knows;
        try {
            knows = inv.delegateKnows11();
        } catch (CniException e) {
            throw new CniException(ErrorCodes.PLUGIN_NOT_AVAILABLE, "delegate plugin " + type
                    + " is not usable: " + e.msg(), e.details());
        }
        if (!knows) {
            inv.log.info("delegate " + type + " supports CNI " + inv.delegateVersions()
                    + ", not 1.1.0: STATUS not passed to it");
            return;
        }
        inv.call(Command.STATUS, inv.render(env, CniVersion.V1_1_0), null, null);
    }
}
