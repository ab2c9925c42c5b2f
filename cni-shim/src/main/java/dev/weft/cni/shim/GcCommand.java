package dev.weft.cni.shim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonArray;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonTypeException;
import dev.weft.cni.skel.Command;
import dev.weft.cni.state.StateStore;
import dev.weft.cni.types.Attachment;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ErrorCodes;

/**
 * GC: every attachment with saved state that the runtime does not list in
 * {@code cni.dev/valid-attachments} is stale; its saved delegate configuration is replayed with
 * DEL (releasing the host-local address and the host veth) and its state removed. Then GC is
 * passed to the delegate, but only when it speaks 1.1.0 (the v1.1.x standard plugins do not).
 * One failing attachment does not stop the others; failures are reported together at the end.
 */
final class GcCommand {
    static final String VALID_KEY = "cni.dev/valid-attachments";
    /** The name an earlier draft of the spec used; libcni still sends both. */
    static final String LEGACY_KEY = "cni.dev/attachments";

    private final Invocation inv;

    GcCommand(Invocation inv) {
        this.inv = inv;
    }

    void run() throws CniException {
        JsonArray validJson = validJson();
        Set<Attachment> valid = parseValid(validJson);
        StateStore store = inv.store();
        List<String> failures = new ArrayList<>();
        int released = 0;
        try (StateStore.Lock lock = store.lock(true)) {
            for (Attachment a : store.list()) {
                if (valid.contains(a)) {
                    continue;
                }
                if (release(store, a, failures)) {
                    released++;
                }
            }
        }
        inv.log.info("released " + released + " stale attachment(s), kept " + valid.size() + " valid");
        passToDelegate(validJson);
        if (!failures.isEmpty()) {
            throw new CniException(ErrorCodes.DELEGATE_FAILED, "GC could not release " + failures.size()
                    + " stale attachment(s); their state is kept for the next GC", String.join("; ", failures));
        }
    }

    private boolean release(StateStore store, Attachment a, List<String> failures) {
        JsonObject delegateConf = WeftPlugin.savedDelegate(inv, store, a);
        try {
            if (delegateConf != null) {
                inv.call(Command.DEL, delegateConf, a, null);
            }
            store.remove(a);
            inv.log.info("GC released " + a + (delegateConf == null ? " (state unusable, removed only)" : ""));
            return true;
        } catch (CniException e) {
            failures.add(a + ": " + e.msg());
            return false;
        }
    }

    private void passToDelegate(JsonArray validJson) throws CniException {
        String type = inv.conf.delegateType();
        if (!inv.delegateKnows11()) {
            inv.log.info("delegate " + type + " supports CNI " + inv.delegateVersions()
                    + ", not 1.1.0: GC not passed to it (stale attachments were released with DEL instead)");
            return;
        }
        SubnetEnv env;
        try {
            env = inv.subnetEnv();
        } catch (CniException e) {
            inv.log.warn("GC not passed to " + type + ": " + e.msg());
            return;
        }
        JsonObject conf = inv.render(env, CniVersion.V1_1_0);
        conf.put(VALID_KEY, validJson.copy());
        inv.call(Command.GC, conf, null, null);
    }

    private JsonArray validJson() throws CniException {
        try {
            JsonArray a = inv.conf.raw().optArray(VALID_KEY);
            if (a == null) {
                a = inv.conf.raw().optArray(LEGACY_KEY);
            }
            if (a == null) {
                throw ShimConf.invalid("GC needs \"" + VALID_KEY + "\"; without it every attachment would look stale");
            }
            return a;
        } catch (JsonTypeException e) {
            throw ShimConf.invalid(e.getMessage());
        }
    }

    private Set<Attachment> parseValid(JsonArray list) throws CniException {
        Set<Attachment> out = new HashSet<>();
        for (Json j : list.items()) {
            if (!(j instanceof JsonObject o)) {
                throw ShimConf.invalid(VALID_KEY + " must hold objects, not " + j.kind());
            }
            String id;
            String ifName;
            try {
                id = o.optString("containerID");
                ifName = o.optString("ifname");
            } catch (JsonTypeException e) {
                throw ShimConf.invalid(VALID_KEY + ": " + e.getMessage());
            }
            if (id == null || ifName == null) {
                throw ShimConf.invalid(VALID_KEY + " entries need \"containerID\" and \"ifname\": " + o.toJson());
            }
            Attachment a = Attachment.validOrNull(id, ifName);
            if (a == null) {
                // weft never stored state under a name that fails validation, so nothing can match it
                inv.log.warn("ignoring valid-attachments entry with an invalid name: " + o.toJson());
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
