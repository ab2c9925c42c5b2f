package dev.weft.cni.shim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.weft.cni.delegate.Delegate;
import dev.weft.cni.delegate.DelegateCall;
import dev.weft.cni.delegate.DelegateFactory;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.cni.skel.Command;
import dev.weft.cni.skel.Log;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ResultCodec;

/**
 * An in-memory delegate plugin: records every call and answers like bridge v1.1.1 (versions up
 * to 1.0.0, an ADD result with eth0 at 10.42.3.7/24), unless a test scripts other answers.
 */
final class FakeDelegate implements Delegate, DelegateFactory {
    /** Scripted behaviour for one command. */
    interface Responder {
        JsonObject respond(DelegateCall call) throws CniException;
    }

    final List<DelegateCall> calls = new ArrayList<>();
    final Map<Command, Responder> responders = new EnumMap<>(Command.class);
    List<String> versions = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");
    int versionQueries;

    static final String ADD_RESULT = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"4a:00:00:00:00:01"},
             {"name":"veth1","mac":"4a:00:00:00:00:02"},
             {"name":"eth0","mac":"4a:00:00:00:00:03","sandbox":"/var/run/netns/p1"}],
             "ips":[{"interface":2,"address":"10.42.3.7/24","gateway":"10.42.3.1"}],
             "routes":[{"dst":"10.42.0.0/16","gw":"10.42.3.1"}],"dns":{}}""";

    FakeDelegate() {
        responders.put(Command.ADD, call -> {
            CniVersion v = CniVersion.parse(call.conf().optString("cniVersion"));
            return ResultCodec.render(ResultCodec.parse(parse(ADD_RESULT)), v);
        });
    }

    static JsonObject parse(String s) {
        try {
            return (JsonObject) JsonReader.parse(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public Delegate create(Map<String, String> env, Log log) {
        return this;
    }

    @Override
    public JsonObject invoke(DelegateCall call) throws CniException {
        calls.add(call);
        Responder r = responders.get(call.command());
        return r == null ? null : r.respond(call);
    }

    @Override
    public List<String> supportedVersions(String type, String cniPath) {
        versionQueries++;
        return versions;
    }

    List<DelegateCall> calls(Command c) {
        return calls.stream().filter(x -> x.command() == c).toList();
    }
}
