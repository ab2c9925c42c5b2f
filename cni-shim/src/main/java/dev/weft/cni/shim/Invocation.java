package dev.weft.cni.shim;

import java.util.List;

import dev.weft.cni.delegate.Delegate;
import dev.weft.cni.delegate.DelegateCall;
import dev.weft.cni.delegate.DelegateFactory;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.CmdArgs;
import dev.weft.cni.skel.Command;
import dev.weft.cni.skel.Log;
import dev.weft.cni.state.StateStore;
import dev.weft.cni.types.Attachment;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Result;
import dev.weft.cni.types.ResultCodec;

/** What every command of one shim invocation shares: the parsed configuration, the delegate, the state store. */
final class Invocation {
    final CmdArgs args;
    final ShimConf conf;
    final Delegate delegate;
    final Log log;
    private List<String> delegateVersions;

    Invocation(CmdArgs args, DelegateFactory delegates) throws CniException {
        this.args = args;
        this.log = args.log();
        this.conf = ShimConf.parse(args.conf());
        this.delegate = delegates.create(args.env(), args.log());
    }

    /** The attachment this command is about (ADD, DEL, CHECK); the skeleton validated both names. */
    Attachment attachment() {
        return new Attachment(args.containerId(), args.ifName());
    }

    StateStore store() throws CniException {
        return StateStore.open(conf.stateDir());
    }

    SubnetEnv subnetEnv() throws CniException {
        return SubnetEnv.read(conf.subnetFile());
    }

    /**
     * The spec version to speak to the delegate: the configuration's when it is 1.0.0 or older
     * (every standard plugin speaks those), else the newest the delegate reports through VERSION
     * that is not newer than the configuration's: the v1.1.x plugins stop at 1.0.0.
     */
    CniVersion delegateVersion() throws CniException {
        if (!args.version().atLeast(CniVersion.V1_1_0)) {
            return args.version();
        }
        return pick(args.version(), delegateVersions());
    }

    /** The delegate's supported versions, asked once per invocation. */
    List<String> delegateVersions() throws CniException {
        if (delegateVersions == null) {
            delegateVersions = delegate.supportedVersions(conf.delegateType(), args.cniPath());
        }
        return delegateVersions;
    }

    /** True when the delegate speaks 1.1.0 and so knows GC and STATUS. */
    boolean delegateKnows11() throws CniException {
        return delegateVersions().contains(CniVersion.V1_1_0.text());
    }

    static CniVersion pick(CniVersion max, List<String> supported) throws CniException {
        CniVersion[] all = CniVersion.values();
        for (int i = all.length - 1; i >= 0; i--) {
            if (max.atLeast(all[i]) && supported.contains(all[i].text())) {
                return all[i];
            }
        }
        throw new CniException(ErrorCodes.INCOMPATIBLE_VERSION, "the delegate plugin supports " + supported
                + ", none of which weft speaks at or below cniVersion " + max);
    }

    JsonObject render(SubnetEnv env, CniVersion v) throws CniException {
        return DelegateRenderer.render(conf, env, v, log);
    }

    /** Runs the delegate named in {@code delegateConf} for {@code a}. */
    JsonObject call(Command cmd, JsonObject delegateConf, Attachment a, String netns) throws CniException {
        String type = delegateConf.optString("type");
        return delegate.invoke(new DelegateCall(type, cmd, a == null ? null : a.containerId(), netns,
                a == null ? null : a.ifName(), args.cniArgs(), args.cniPath(), delegateConf));
    }

    /** A copy of {@code delegateConf} carrying {@code prev} in the delegate's own spec version. */
    static JsonObject withPrevResult(JsonObject delegateConf, Result prev) throws CniException {
        CniVersion v = CniVersion.parse(delegateConf.optString("cniVersion"));
        if (v == null) {
            throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "saved delegate configuration has cniVersion "
                    + delegateConf.get("cniVersion") + ", which weft does not speak");
        }
        JsonObject c = delegateConf.copy();
        c.put("prevResult", ResultCodec.render(prev, v));
        return c;
    }

    /** The runtime's prevResult, parsed; null when absent. Code 7 when malformed. */
    Result prevResult() throws CniException {
        if (conf.prevResult() == null) {
            return null;
        }
        try {
            return ResultCodec.parse(conf.prevResult());
        } catch (IllegalArgumentException e) {
            throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "prevResult is not a valid CNI result: "
                    + e.getMessage());
        }
    }
}
