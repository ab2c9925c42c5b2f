package dev.weft.cni.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonArray;
import dev.weft.cni.json.JsonBool;
import dev.weft.cni.json.JsonObject;
import dev.weft.testing.Cmd;

/**
 * A network configuration list run the way libcni runs one: each plugin gets the list's name and
 * cniVersion, the previous plugin's result as prevResult, and the runtimeConfig entries for the
 * capabilities it declares; ADD goes down the list, DEL back up, CHECK down with the final result.
 */
public final class ConfList {
    private final JsonObject list;

    public ConfList(String json) {
        this.list = ShimRig.json(json);
    }

    /** ADD through every plugin; returns the final result. Throws with the failing plugin's output. */
    public String add(String hostNs, String cniPath, String containerId, Path netns, String ifName, JsonObject rt) {
        String prev = null;
        for (Json p : plugins().items()) {
            Cmd.Result r = run(hostNs, cniPath, "ADD", (JsonObject) p, prev, rt, containerId, netns, ifName);
            prev = r.stdout().strip();
        }
        return prev;
    }

    /** CHECK through every plugin but those of type {@code skip}, with the cached result of ADD. */
    public void check(String hostNs, String cniPath, String containerId, Path netns, String ifName, JsonObject rt,
                      String result, Set<String> skip) {
        for (Json p : plugins().items()) {
            if (!skip.contains(((JsonObject) p).optString("type"))) {
                run(hostNs, cniPath, "CHECK", (JsonObject) p, result, rt, containerId, netns, ifName);
            }
        }
    }

    /** DEL through the plugins in reverse order with the cached result of ADD. */
    public void del(String hostNs, String cniPath, String containerId, Path netns, String ifName, JsonObject rt,
                    String result) {
        JsonArray plugins = plugins();
        for (int i = plugins.size() - 1; i >= 0; i--) {
            run(hostNs, cniPath, "DEL", (JsonObject) plugins.get(i), result, rt, containerId, netns, ifName);
        }
    }

    private JsonArray plugins() {
        return list.optArray("plugins");
    }

    private Cmd.Result run(String hostNs, String cniPath, String cmd, JsonObject plugin, String prev, JsonObject rt,
                           String containerId, Path netns, String ifName) {
        JsonObject conf = pluginConf(plugin, prev, rt);
        String type = plugin.optString("type");
        Map<String, String> env = CniExec.env(cmd, containerId, netns, ifName, cniPath);
        Cmd.Result r = CniExec.run(hostNs, find(cniPath, type), env, conf.toJson());
        if (!r.ok()) {
            throw new IllegalStateException(type + " " + cmd + " failed: " + r.stdout() + r.stderr());
        }
        return r;
    }

    private JsonObject pluginConf(JsonObject plugin, String prev, JsonObject rt) {
        JsonObject conf = plugin.copy();
        conf.put("cniVersion", list.optString("cniVersion"));
        conf.put("name", list.optString("name"));
        if (prev != null && !prev.isEmpty()) {
            conf.put("prevResult", ShimRig.json(prev));
        }
        JsonObject caps = plugin.optObject("capabilities");
        JsonObject runtimeConfig = new JsonObject();
        if (caps != null && rt != null) {
            for (Map.Entry<String, Json> c : caps.entries()) {
                if (c.getValue() == JsonBool.TRUE && rt.has(c.getKey())) {
                    runtimeConfig.put(c.getKey(), rt.get(c.getKey()));
                }
            }
        }
        if (runtimeConfig.size() > 0) {
            conf.put("runtimeConfig", runtimeConfig);
        }
        return conf;
    }

    private static Path find(String cniPath, String type) {
        for (String dir : cniPath.split(":")) {
            Path p = Path.of(dir, type);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(type + " not found in " + cniPath);
    }
}
