package dev.weft.cni.delegate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonException;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.cni.json.JsonString;
import dev.weft.cni.skel.Command;
import dev.weft.cni.skel.Log;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Names;

/**
 * Execs a delegated plugin the way libcni does: the first executable named {@code type} in a
 * CNI_PATH directory, the caller's environment with the CNI_* variables of the call on top, the
 * configuration on stdin, the result or CNI error read from stdout, stderr left to the runtime.
 */
public final class ExecDelegate implements Delegate {
    /** Results are a few KiB; more than this is a broken plugin. */
    static final int MAX_STDOUT = 4 << 20;

    private final Map<String, String> baseEnv;
    private final Log log;

    /** {@code baseEnv} is the environment the shim was started with. */
    public ExecDelegate(Map<String, String> baseEnv, Log log) {
        this.baseEnv = Map.copyOf(baseEnv);
        this.log = log;
    }

    @Override
    public JsonObject invoke(DelegateCall call) throws CniException {
        Path exe = find(call.type(), call.cniPath());
        log.debug("delegate " + exe + " " + call.command() + " starting");
        long t0 = System.nanoTime();
        Outcome out = run(exe, call);
        log.debug("delegate " + call.type() + " " + call.command() + " exited " + out.exitCode + " after "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        if (out.exitCode != 0) {
            throw failure(call, out);
        }
        String text = new String(out.stdout, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            if (JsonReader.parse(text) instanceof JsonObject o) {
                return o;
            }
        } catch (JsonException e) {
            // reported below with the text
        }
        throw new CniException(ErrorCodes.DELEGATE_FAILED, call.type() + " " + call.command()
                + " succeeded but printed something that is not a JSON object", Names.shorten(text));
    }

    @Override
    public List<String> supportedVersions(String type, String cniPath) throws CniException {
        JsonObject ask = new JsonObject().put("cniVersion", "1.1.0");
        JsonObject reply = invoke(new DelegateCall(type, Command.VERSION, null, null, null, null, cniPath, ask));
        List<String> out = new ArrayList<>();
        try {
            if (reply != null && reply.optArray("supportedVersions") != null) {
                for (Json j : reply.optArray("supportedVersions").items()) {
                    if (j instanceof JsonString s) {
                        out.add(s.value());
                    }
                }
            }
        } catch (RuntimeException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            throw new CniException(ErrorCodes.DELEGATE_FAILED, type + " VERSION did not list supportedVersions",
                    reply == null ? null : Names.shorten(reply.toJson()));
        }
        return out;
    }

    /** The executable libcni would pick for {@code type}: first match in CNI_PATH order. */
    public static Path find(String type, String cniPath) throws CniException {
        if (type == null || type.isEmpty() || type.indexOf('/') >= 0 || type.equals(".") || type.equals("..")
                || type.indexOf('\0') >= 0) {
            throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "delegate plugin type '"
                    + Names.shorten(String.valueOf(type)) + "' is not a plugin name");
        }
        if (cniPath != null) {
            for (String dir : cniPath.split(":")) {
                if (dir.isEmpty() || dir.indexOf('\0') >= 0) {
                    continue;
                }
                Path p = Path.of(dir, type);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "delegate plugin '" + Names.shorten(type)
                + "' was not found in CNI_PATH " + cniPath + "; install it there (e.g. the containernetworking plugins)");
    }

    private record Outcome(int exitCode, byte[] stdout) {
    }

    private Outcome run(Path exe, DelegateCall call) throws CniException {
        ProcessBuilder pb = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(baseEnv);
        setOrRemove(env, "CNI_COMMAND", call.command().name());
        setOrRemove(env, "CNI_CONTAINERID", call.containerId());
        setOrRemove(env, "CNI_NETNS", call.netns());
        setOrRemove(env, "CNI_IFNAME", call.ifName());
        setOrRemove(env, "CNI_ARGS", call.cniArgs());
        setOrRemove(env, "CNI_PATH", call.cniPath());
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(call.conf().toJson().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the plugin may exit without reading stdin (VERSION); its exit status tells the story
            }
            byte[] stdout;
            try (InputStream outStream = p.getInputStream()) {
                stdout = outStream.readNBytes(MAX_STDOUT);
            }
            if (stdout.length == MAX_STDOUT) {
                p.destroyForcibly();
                throw new CniException(ErrorCodes.DELEGATE_FAILED, exe + " printed more than " + MAX_STDOUT
                        + " bytes; that is not a CNI result");
            }
            return new Outcome(p.waitFor(), stdout);
        } catch (IOException e) {
            throw new CniException(ErrorCodes.DELEGATE_FAILED, "cannot run delegate plugin " + exe + ": "
                    + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(ErrorCodes.INTERNAL, "interrupted while waiting for " + exe);
        }
    }

    private static CniException failure(DelegateCall call, Outcome out) {
        String text = new String(out.stdout, StandardCharsets.UTF_8).strip();
        try {
            CniException e = CniException.fromJson(JsonReader.parse(text));
            if (e != null) {
                return new CniException(e.code(), call.type() + " " + call.command() + ": " + e.msg(), e.details());
            }
        } catch (JsonException ignored) {
            // not a CNI error object; reported below
        }
        return new CniException(ErrorCodes.DELEGATE_FAILED, call.type() + " " + call.command() + " exited "
                + out.exitCode + " without a CNI error on stdout (its stderr is in the runtime's log)",
                text.isEmpty() ? null : Names.shorten(text));
    }

    private static void setOrRemove(Map<String, String> env, String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
    }
}
