package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testing.Cmd;

/**
 * Runs a CNI network configuration list the way a container runtime (libcni) does: each plugin
 * exec'd from {@code CNI_PATH} inside the node's namespace, with the CNI environment, its own
 * config plus {@code cniVersion}, {@code name} and the previous plugin's result on stdin; DEL in
 * reverse order. Nothing here knows about weft: the shim is just the second plugin.
 */
public final class CniRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(60);

    private final Ns node;
    private final Path binDir;
    private final ObjectNode conflist;
    private final List<String> execPrefix;

    public CniRuntime(Ns node, Path binDir, String conflistJson) throws IOException {
        this(node, binDir, conflistJson, List.of());
    }

    /**
     * @param execPrefix what each plugin exec is wrapped in inside the node (e.g. a mount namespace
     *                   showing the node's own directories); empty for none
     */
    public CniRuntime(Ns node, Path binDir, String conflistJson, List<String> execPrefix) throws IOException {
        this.node = node;
        this.binDir = binDir;
        this.conflist = (ObjectNode) JSON.readTree(conflistJson);
        this.execPrefix = List.copyOf(execPrefix);
    }

    /** The outcome of one command: the final result JSON, or the failing plugin's error. */
    public record Outcome(boolean ok, JsonNode result, String plugin, int exitCode, String stdout, String stderr) {
        /** The CNI error code when the command failed, else 0. */
        public int errorCode() {
            return ok || result == null ? 0 : result.path("code").asInt(-1);
        }
    }

    public Outcome add(String containerId, Path netns, String ifName) throws IOException {
        return runChain("ADD", containerId, netns, ifName, null, false);
    }

    public Outcome check(String containerId, Path netns, String ifName, JsonNode prevResult) throws IOException {
        return runChain("CHECK", containerId, netns, ifName, prevResult, false);
    }

    public Outcome del(String containerId, Path netns, String ifName, JsonNode prevResult) throws IOException {
        return runChain("DEL", containerId, netns, ifName, prevResult, true);
    }

    private Outcome runChain(String command, String containerId, Path netns, String ifName, JsonNode prev,
                             boolean reverse) throws IOException {
        List<JsonNode> plugins = new ArrayList<>();
        conflist.withArray("plugins").forEach(plugins::add);
        if (reverse) {
            java.util.Collections.reverse(plugins);
        }
        JsonNode result = prev;
        for (JsonNode plugin : plugins) {
            ObjectNode conf = ((ObjectNode) plugin).deepCopy();
            conf.put("cniVersion", conflist.path("cniVersion").asText());
            conf.put("name", conflist.path("name").asText());
            if (result != null && !result.isNull()) {
                conf.set("prevResult", result);
            }
            String type = plugin.path("type").asText();
            if (!type.matches("[A-Za-z0-9._-]+")) {
                throw new IOException("conflist plugin type '" + type + "' is not a plain file name");
            }
            List<String> exec = new ArrayList<>(execPrefix);
            exec.add(binDir.resolve(type).toString());
            Cmd.Result r = node.exec(PLUGIN_TIMEOUT, JSON.writeValueAsString(conf), Map.of(
                    "CNI_COMMAND", command,
                    "CNI_CONTAINERID", containerId,
                    "CNI_NETNS", netns.toString(),
                    "CNI_IFNAME", ifName,
                    "CNI_PATH", binDir.toString()), exec);
            if (!r.ok()) {
                JsonNode err = parseOrNull(r.stdout());
                return new Outcome(false, err, type, r.exitCode(), r.stdout(), r.stderr());
            }
            if (!"ADD".equals(command)) {
                continue;
            }
            result = JSON.readTree(r.stdout());
        }
        return new Outcome(true, result, null, 0, "", "");
    }

    private static JsonNode parseOrNull(String s) {
        try {
            return s.isBlank() ? null : JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    /** The first IPv4 address (without prefix) of an ADD result. */
    public static String firstIpv4(JsonNode result) {
        ArrayNode ips = (ArrayNode) result.path("ips");
        for (JsonNode ip : ips) {
            String a = ip.path("address").asText();
            if (a.contains(".")) {
                return a.substring(0, a.indexOf('/'));
            }
        }
        throw new IllegalStateException("no IPv4 address in CNI result " + result);
    }

    /** The pod's IPv6 address from a CNI result (dual-stack clusters). */
    public static String firstIpv6(JsonNode result) {
        for (JsonNode ip : result.path("ips")) {
            String a = ip.path("address").asText();
            if (a.contains(":")) {
                return a.substring(0, a.indexOf('/'));
            }
        }
        throw new IllegalStateException("no IPv6 address in CNI result " + result);
    }
}
