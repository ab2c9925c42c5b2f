package dev.weft.cni.shim;

import dev.weft.cni.delegate.DelegateFactory;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.CmdArgs;
import dev.weft.cni.skel.Command;
import dev.weft.cni.skel.Plugin;
import dev.weft.cni.state.StateStore;
import dev.weft.cni.types.Attachment;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Result;
import dev.weft.cni.types.ResultCodec;
import dev.weft.net.IpPrefix;

/**
 * The weft CNI plugin: reads subnet.env, renders the delegate configuration (bridge +
 * host-local), saves it per attachment, and delegates. ADD and DEL live here; CHECK, STATUS and
 * GC in their own classes.
 */
public final class WeftPlugin implements Plugin {
    private final DelegateFactory delegates;
    private final PodInterfaceProbe probe;

    public WeftPlugin(DelegateFactory delegates, PodInterfaceProbe probe) {
        this.delegates = delegates;
        this.probe = probe;
    }

    /**
     * Saves the rendered delegate configuration, then delegates ADD. When the delegate fails,
     * its DEL undoes whatever it did half-way (an IP reserved, a veth created) before the error
     * is reported; the state is dropped once that DEL succeeded.
     */
    @Override
    public Result add(CmdArgs args) throws CniException {
        Invocation inv = new Invocation(args, delegates);
        Attachment a = inv.attachment();
        SubnetEnv env = inv.subnetEnv();
        JsonObject delegateConf = inv.render(env, inv.delegateVersion());
        inv.log.debug("delegate configuration rendered");
        StateStore store = inv.store();
        try (StateStore.Lock lock = store.lock(false)) {
            inv.log.debug("state directory locked");
            store.save(a, new SavedState(a, args.netns(), delegateConf).toJson());
            inv.log.debug("state saved to " + store.fileOf(a));
            JsonObject raw;
            try {
                raw = inv.call(Command.ADD, delegateConf, a, args.netns());
                if (raw == null) {
                    throw new CniException(ErrorCodes.DELEGATE_FAILED, delegateConf.optString("type")
                            + " ADD succeeded but printed no result");
                }
            } catch (CniException e) {
                throw rollback(inv, store, a, delegateConf, e);
            }
            Result r;
            try {
                r = ResultCodec.parse(raw);
            } catch (IllegalArgumentException e) {
                throw rollback(inv, store, a, delegateConf, new CniException(ErrorCodes.DELEGATE_FAILED,
                        delegateConf.optString("type") + " ADD printed an invalid result: " + e.getMessage()));
            }
            inv.log.info("added " + describe(r, a.ifName()) + " in " + inv.log.elapsedMillis() + " ms");
            return r;
        }
    }

    private static CniException rollback(Invocation inv, StateStore store, Attachment a, JsonObject delegateConf,
                                         CniException cause) {
        String type = delegateConf.optString("type");
        String outcome;
        try {
            inv.call(Command.DEL, delegateConf, a, inv.args.netns());
            store.remove(a);
            outcome = "rolled back with " + type + " DEL";
        } catch (CniException e) {
            outcome = "rollback with " + type + " DEL failed too (" + e.msg() + "); state kept for the runtime's DEL";
        }
        inv.log.warn("ADD failed: " + cause.msg() + "; " + outcome);
        String details = cause.details() == null ? outcome : cause.details() + "; " + outcome;
        return new CniException(cause.code(), cause.msg(), details, cause);
    }

    /**
     * Replays the saved delegate configuration with DEL and drops the state. Without saved state
     * (lost, or DEL repeated) the configuration is rendered from subnet.env so host-local still
     * releases the address; without either there is nothing weft could release, which is success.
     */
    @Override
    public void del(CmdArgs args) throws CniException {
        Invocation inv = new Invocation(args, delegates);
        Attachment a = inv.attachment();
        StateStore store = inv.store();
        try (StateStore.Lock lock = store.lock(false)) {
            JsonObject delegateConf = savedDelegate(inv, store, a);
            inv.log.debug(delegateConf == null ? "no saved state" : "saved state loaded");
            if (delegateConf == null) {
                SubnetEnv env;
                try {
                    env = inv.subnetEnv();
                } catch (CniException e) {
                    inv.log.info("no saved state and no usable subnet.env (" + e.msg() + "): nothing to release");
                    return;
                }
                delegateConf = inv.render(env, inv.delegateVersion());
            }
            Result prev = prevResultForDel(inv);
            if (prev != null) {
                delegateConf = Invocation.withPrevResult(delegateConf, prev);
            }
            inv.call(Command.DEL, delegateConf, a, args.netns());
            store.remove(a);
            inv.log.debug("state removed");
            inv.log.info("deleted in " + inv.log.elapsedMillis() + " ms");
        }
    }

    /** The saved delegate configuration, or null when there is none or it is unusable. */
    static JsonObject savedDelegate(Invocation inv, StateStore store, Attachment a) {
        try {
            JsonObject saved = store.load(a);
            return saved == null ? null : SavedState.fromJson(saved, a).delegate();
        } catch (CniException | IllegalArgumentException e) {
            inv.log.warn("ignoring unusable saved state " + store.fileOf(a) + ": " + e.getMessage());
            return null;
        }
    }

    /** DEL cleans up as much as it can: a malformed prevResult is dropped, not fatal. */
    private static Result prevResultForDel(Invocation inv) {
        try {
            return inv.prevResult();
        } catch (CniException e) {
            inv.log.warn(e.msg() + "; deleting without it");
            return null;
        }
    }

    @Override
    public void check(CmdArgs args) throws CniException {
        new CheckCommand(new Invocation(args, delegates), probe).run();
    }

    @Override
    public void status(CmdArgs args) throws CniException {
        StatusCommand.run(new Invocation(args, delegates));
    }

    @Override
    public void gc(CmdArgs args) throws CniException {
        new GcCommand(new Invocation(args, delegates)).run();
    }

    private static String describe(Result r, String ifName) {
        StringBuilder sb = new StringBuilder(ifName);
        for (IpPrefix p : r.sandboxAddresses(ifName)) {
            sb.append(' ').append(p);
        }
        return sb.toString();
    }
}
