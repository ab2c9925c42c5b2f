package dev.weft.cni.shim;

import java.nio.file.Path;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonTypeException;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Names;

/**
 * The shim's network configuration ({@code "type": "weft"}):
 * <pre>
 * { "cniVersion": "1.0.0", "name": "cbr0", "type": "weft",
 *   "subnetFile": "/run/flannel/subnet.env",   // optional
 *   "dataDir": "/var/lib/cni/weft",            // optional
 *   "delegate": { "hairpinMode": true, "isDefaultGateway": true },   // optional, for the bridge
 *   "ipam": { "dataDir": "..." },              // optional, merged into the generated host-local ipam
 *   "runtimeConfig": { ... } }                 // from the runtime, passed to the delegate
 * </pre>
 *
 * @param name          the network name; also names the state subdirectory
 * @param subnetFile    where subnet.env is
 * @param dataDir       where per-container state is kept (a subdirectory per network)
 * @param delegate      the user's delegate settings (never null)
 * @param ipam          the user's ipam settings (never null)
 * @param runtimeConfig the runtime's runtimeConfig, or null
 * @param prevResult    the runtime's prevResult, or null
 * @param raw           the whole configuration
 */
public record ShimConf(String name, Path subnetFile, String dataDir, JsonObject delegate, JsonObject ipam,
                       Json runtimeConfig, JsonObject prevResult, JsonObject raw) {
    public static final String DEFAULT_DATA_DIR = "/var/lib/cni/weft";
    public static final String DEFAULT_DELEGATE_TYPE = "bridge";

    /** Parses the configuration; code 7 naming the key when something is missing or mistyped. */
    public static ShimConf parse(JsonObject conf) throws CniException {
        try {
            String name = conf.optString("name");
            String p = name == null ? "is missing" : Names.containerIdProblem(name);
            if (p != null) {
                throw invalid("\"name\" " + p + " (a network name follows the container ID rules)");
            }
            String subnetFile = orDefault(conf.optString("subnetFile"), SubnetEnv.DEFAULT_PATH);
            if (!subnetFile.startsWith("/") || subnetFile.indexOf('\0') >= 0) {
                throw invalid("\"subnetFile\" '" + Names.shorten(subnetFile) + "' must be an absolute path");
            }
            String dataDir = orDefault(conf.optString("dataDir"), DEFAULT_DATA_DIR);
            JsonObject delegate = conf.optObject("delegate");
            JsonObject ipam = conf.optObject("ipam");
            return new ShimConf(name, Path.of(subnetFile), dataDir,
                    delegate == null ? new JsonObject() : delegate, ipam == null ? new JsonObject() : ipam,
                    conf.get("runtimeConfig"), conf.optObject("prevResult"), conf);
        } catch (JsonTypeException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The delegate plugin's type: {@code delegate.type}, else bridge; a plain executable name. */
    public String delegateType() throws CniException {
        String type;
        try {
            type = orDefault(delegate.optString("type"), DEFAULT_DELEGATE_TYPE);
        } catch (JsonTypeException e) {
            throw invalid("delegate: " + e.getMessage());
        }
        if (type.indexOf('/') >= 0 || type.equals(".") || type.equals("..") || type.indexOf('\0') >= 0) {
            throw invalid("delegate.type '" + Names.shorten(type) + "' must be a plugin name, not a path");
        }
        return type;
    }

    /** Where this network's state lives: {@code <dataDir>/<name>}. */
    public String stateDir() {
        return dataDir.endsWith("/") ? dataDir + name : dataDir + "/" + name;
    }

    static CniException invalid(String msg) {
        return new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "invalid weft network configuration: " + msg);
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isEmpty() ? d : v;
    }
}
