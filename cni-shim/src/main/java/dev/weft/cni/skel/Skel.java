package dev.weft.cni.skel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonArray;
import dev.weft.cni.json.JsonException;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.cni.json.JsonString;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Names;
import dev.weft.cni.types.Result;
import dev.weft.cni.types.ResultCodec;

/**
 * The CNI protocol around a {@link Plugin}: reads the command and its parameters from the
 * environment (checked against {@link Command}'s table), the configuration from stdin, checks the
 * cniVersion, dispatches, and writes the result or the error JSON to stdout. Everything it
 * touches is passed in, so every path is testable without a process.
 */
public final class Skel {
    /** Configurations are a few KiB; anything this large is not one. */
    public static final int MAX_STDIN = 1 << 20;

    private Skel() {
    }

    /** Runs one command; returns the process exit code (0 success, 1 error). */
    public static int run(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr,
                          Plugin plugin) {
        Log log = new Log(stderr, "1".equals(env.get("WEFT_CNI_DEBUG")));
        CniVersion replyVersion = CniVersion.LATEST;
        try {
            Command cmd = command(env, stderr);
            if (cmd == Command.VERSION) {
                emit(stdout, versionReply(readStdinLeniently(stdin)));
                return 0;
            }
            checkEnv(cmd, env);
            log.context(cmd.name() + contextSuffix(env));
            JsonObject conf = readConf(stdin);
            log.debug("configuration read");
            CniVersion version = confVersion(conf);
            replyVersion = version;
            checkCommandVersion(cmd, version);
            CmdArgs args = new CmdArgs(cmd, env.get("CNI_CONTAINERID"), nonEmpty(env.get("CNI_NETNS")),
                    env.get("CNI_IFNAME"), nonEmpty(env.get("CNI_ARGS")), nonEmpty(env.get("CNI_PATH")),
                    conf, version, env, log);
            dispatch(plugin, args, stdout);
            return 0;
        } catch (CniException e) {
            log.error("code " + e.code() + ": " + e.msg() + (e.details() == null ? "" : " (" + e.details() + ")"));
            emit(stdout, e.toJson(replyVersion));
            return 1;
        } catch (RuntimeException | Error e) {
            log.error("internal error: " + e);
            e.printStackTrace(stderr);
            emit(stdout, new CniException(ErrorCodes.INTERNAL, "internal error in the weft CNI plugin: " + e,
                    "see the runtime's log for the stack trace").toJson(replyVersion));
            return 1;
        }
    }

    private static void dispatch(Plugin plugin, CmdArgs args, PrintStream stdout) throws CniException {
        switch (args.command()) {
            case ADD -> {
                Result r = plugin.add(args);
                emit(stdout, ResultCodec.render(r, args.version()));
            }
            case DEL -> plugin.del(args);
            case CHECK -> plugin.check(args);
            case STATUS -> plugin.status(args);
            case GC -> plugin.gc(args);
            default -> throw new IllegalStateException("unhandled command " + args.command());
        }
    }

    private static Command command(Map<String, String> env, PrintStream stderr) throws CniException {
        String s = env.get("CNI_COMMAND");
        if (s == null || s.isEmpty()) {
            stderr.println("weft CNI plugin (spec " + CniVersion.supportedList()
                    + "): a container runtime runs it with CNI_COMMAND and friends set and the network configuration on stdin");
            throw new CniException(ErrorCodes.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
        }
        Command c = Command.parse(s);
        if (c == null) {
            throw new CniException(ErrorCodes.INVALID_ENVIRONMENT, "CNI_COMMAND '" + Names.shorten(s)
                    + "' is not one of ADD, DEL, CHECK, VERSION, STATUS, GC");
        }
        return c;
    }

    /** Checks the table: every required variable is set; names and paths are well formed. */
    static void checkEnv(Command cmd, Map<String, String> env) throws CniException {
        List<String> missing = new ArrayList<>();
        for (EnvVar v : cmd.required()) {
            String val = env.get(v.name());
            if (val == null || val.isEmpty()) {
                missing.add(v.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new CniException(ErrorCodes.INVALID_ENVIRONMENT, String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " required for " + cmd + " but not set");
        }
        if (cmd.required().contains(EnvVar.CNI_CONTAINERID)) {
            String p = Names.containerIdProblem(env.get("CNI_CONTAINERID"));
            if (p != null) {
                throw new CniException(ErrorCodes.INVALID_ENVIRONMENT, "CNI_CONTAINERID " + p);
            }
            p = Names.ifNameProblem(env.get("CNI_IFNAME"));
            if (p != null) {
                throw new CniException(ErrorCodes.INVALID_ENVIRONMENT, "CNI_IFNAME " + p);
            }
        }
        String netns = env.get("CNI_NETNS");
        if (netns != null && !netns.isEmpty() && (!netns.startsWith("/") || netns.indexOf('\0') >= 0)) {
            throw new CniException(ErrorCodes.INVALID_ENVIRONMENT,
                    "CNI_NETNS '" + Names.shorten(netns) + "' is not an absolute path to a network namespace");
        }
    }

    private static JsonObject readConf(InputStream stdin) throws CniException {
        byte[] bytes = readStdin(stdin);
        Json json;
        try {
            json = JsonReader.parse(bytes);
        } catch (JsonException e) {
            throw new CniException(ErrorCodes.DECODING_FAILURE,
                    "the network configuration on stdin is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof JsonObject o)) {
            throw new CniException(ErrorCodes.DECODING_FAILURE,
                    "the network configuration on stdin must be a JSON object, not " + json.kind());
        }
        return o;
    }

    private static CniVersion confVersion(JsonObject conf) throws CniException {
        Json v = conf.get("cniVersion");
        if (v == null) {
            throw new CniException(ErrorCodes.INCOMPATIBLE_VERSION,
                    "the network configuration has no cniVersion; weft supports " + CniVersion.supportedList());
        }
        CniVersion version = v instanceof JsonString s ? CniVersion.parse(s.value()) : null;
        if (version == null) {
            throw new CniException(ErrorCodes.INCOMPATIBLE_VERSION, "cniVersion "
                    + Names.shorten(v.toJson()) + " is not supported; weft supports " + CniVersion.supportedList());
        }
        return version;
    }

    private static void checkCommandVersion(Command cmd, CniVersion version) throws CniException {
        if (!version.atLeast(cmd.since())) {
            throw new CniException(ErrorCodes.INCOMPATIBLE_VERSION, cmd + " needs cniVersion " + cmd.since()
                    + " or newer, the configuration says " + version);
        }
    }

    private static JsonObject versionReply(byte[] stdin) {
        CniVersion asked = null;
        try {
            if (JsonReader.parse(stdin) instanceof JsonObject o && o.get("cniVersion") instanceof JsonString s) {
                asked = CniVersion.parse(s.value());
            }
        } catch (JsonException e) {
            // VERSION needs no input; a runtime that sends none, or nonsense, still gets the list
        }
        JsonArray supported = new JsonArray();
        for (CniVersion v : CniVersion.values()) {
            supported.add(v.text());
        }
        return new JsonObject()
                .put("cniVersion", (asked == null ? CniVersion.LATEST : asked).text())
                .put("supportedVersions", supported);
    }

    private static byte[] readStdin(InputStream stdin) throws CniException {
        try {
            byte[] b = stdin.readNBytes(MAX_STDIN + 1);
            if (b.length > MAX_STDIN) {
                throw new CniException(ErrorCodes.DECODING_FAILURE,
                        "the network configuration on stdin is larger than " + MAX_STDIN + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot read the network configuration from stdin: "
                    + e.getMessage());
        }
    }

    private static byte[] readStdinLeniently(InputStream stdin) {
        try {
            return readStdin(stdin);
        } catch (CniException e) {
            return new byte[0];
        }
    }

    private static String contextSuffix(Map<String, String> env) {
        String id = env.get("CNI_CONTAINERID");
        if (id == null || id.isEmpty()) {
            return "";
        }
        String shortId = id.length() > 12 ? id.substring(0, 12) : id;
        return " " + shortId + "/" + env.getOrDefault("CNI_IFNAME", "");
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void emit(PrintStream stdout, JsonObject o) {
        stdout.print(o.toJson());
        stdout.print('\n');
        stdout.flush();
    }
}
