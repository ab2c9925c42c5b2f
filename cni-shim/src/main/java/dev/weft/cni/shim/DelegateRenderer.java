package dev.weft.cni.shim;

import java.util.Map;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonArray;
import dev.weft.cni.json.JsonBool;
import dev.weft.cni.json.JsonNumber;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonString;
import dev.weft.cni.json.JsonTypeException;
import dev.weft.cni.skel.Log;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.net.IpPrefix;

/**
 * Builds the delegate plugin's configuration from the shim's configuration and subnet.env, as
 * flannel's CNI plugin does so that flannel users get the pods they expect:
 * <ul>
 * <li>{@code cniVersion} (negotiated), {@code name} from the network, {@code type} bridge unless
 *     the delegate says otherwise;</li>
 * <li>the user's delegate keys, then, where the user did not set them, {@code isGateway: true}
 *     (bridge only), {@code ipMasq: !FLANNEL_IPMASQ} (the bridge masquerades only when the agent
 *     does not), {@code mtu: FLANNEL_MTU};</li>
 * <li>{@code ipam}: the user's ipam keys, {@code type} host-local unless set, {@code ranges} one
 *     per family with the node's subnet, {@code routes} the user's plus one to each cluster
 *     network. Routes without a gateway get the one host-local assigns (the subnet's first
 *     address): the kernel route is the same either way, but bridge's CHECK compares prevResult's
 *     routes with the kernel's gateway by gateway and fails on a route that names none;</li>
 * <li>{@code runtimeConfig} passed through unchanged.</li>
 * </ul>
 * Unknown keys and number spellings are carried over untouched.
 */
public final class DelegateRenderer {
    /** Keys the shim sets itself; the user's values for them are not copied. */
    private static final String[] OWNED = {"cniVersion", "name", "type", "ipam", "runtimeConfig", "prevResult"};
    /** host-local's single-range keys, which would add a range outside the node's subnet. */
    private static final String[] LEGACY_RANGE = {"ranges", "subnet", "rangeStart", "rangeEnd", "gateway"};

    private DelegateRenderer() {
    }

    /** The delegate configuration for spec version {@code v}. */
    public static JsonObject render(ShimConf conf, SubnetEnv env, CniVersion v, Log log) throws CniException {
        String type = conf.delegateType();
        JsonObject d = new JsonObject().put("cniVersion", v.text()).put("name", conf.name()).put("type", type);
        for (Map.Entry<String, Json> e : conf.delegate().entries()) {
            if (!owned(e.getKey())) {
                d.put(e.getKey(), e.getValue().copy());
            }
        }
        if (conf.delegate().has("ipam")) {
            log.warn("delegate.ipam is ignored: the ipam is generated from subnet.env; put extra ipam keys under"
                    + " the top-level \"ipam\"");
        }
        if (type.equals(ShimConf.DEFAULT_DELEGATE_TYPE) && !d.has("isGateway")) {
            d.put("isGateway", JsonBool.TRUE);
        }
        if (!d.has("ipMasq")) {
            d.put("ipMasq", !env.ipMasq());
        }
        if (!d.has("mtu")) {
            d.put("mtu", JsonNumber.of(env.mtu()));
        }
        d.put("ipam", ipam(conf, env, log));
        if (conf.runtimeConfig() != null) {
            d.put("runtimeConfig", conf.runtimeConfig().copy());
        }
        return d;
    }

    private static JsonObject ipam(ShimConf conf, SubnetEnv env, Log log) throws CniException {
        JsonObject ipam = conf.ipam().copy();
        for (String k : LEGACY_RANGE) {
            if (ipam.remove(k) != null) {
                log.warn("ipam." + k + " is ignored: the address range is this node's subnet from subnet.env");
            }
        }
        try {
            if (ipam.optString("type") == null) {
                ipam.put("type", "host-local");
            }
            JsonArray userRoutes = ipam.optArray("routes");
            JsonArray ranges = new JsonArray();
            JsonArray routes = userRoutes == null ? new JsonArray() : userRoutes;
            if (env.subnet4() != null) {
                ranges.add(range(env.subnet4()));
                addRoute(routes, env.network4());
            }
            if (env.subnet6() != null) {
                ranges.add(range(env.subnet6()));
                addRoute(routes, env.network6());
            }
            fillGateways(routes, env);
            JsonObject out = new JsonObject();
            for (Map.Entry<String, Json> e : ipam.entries()) {
                if (!e.getKey().equals("routes")) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out.put("ranges", ranges).put("routes", routes);
        } catch (JsonTypeException e) {
            throw ShimConf.invalid("ipam: " + e.getMessage());
        }
    }

    /** One host-local range set holding the node's subnet, host bits cleared as host-local requires. */
    private static JsonArray range(IpPrefix subnet) {
        return new JsonArray().add(new JsonObject().put("subnet", subnet.network().toString()));
    }

    private static void addRoute(JsonArray routes, IpPrefix network) throws CniException {
        String dst = network.network().toString();
        for (Json r : routes.items()) {
            if (!(r instanceof JsonObject ro)) {
                throw ShimConf.invalid("ipam.routes must hold objects, not " + r.kind());
            }
            if (ro.get("dst") instanceof JsonString s && sameNetwork(s.value(), network)) {
                return;
            }
        }
        routes.add(new JsonObject().put("dst", dst));
    }

    private static void fillGateways(JsonArray routes, SubnetEnv env) {
        for (Json r : routes.items()) {
            JsonObject ro = (JsonObject) r;
            if (ro.get("gw") instanceof JsonString gw && !gw.value().isEmpty()) {
                continue;
            }
            IpPrefix dst;
            try {
                dst = ro.get("dst") instanceof JsonString s ? IpPrefix.parseCidr(s.value()) : null;
            } catch (IllegalArgumentException e) {
                dst = null; // the delegate reports a bad route better than we can guess one
            }
            IpPrefix subnet = dst == null ? null : dst.isIpv4() ? env.subnet4() : env.subnet6();
            if (subnet != null) {
                ro.put("gw", IpPrefix.format(subnet.firstHost()));
            }
        }
    }

    private static boolean sameNetwork(String dst, IpPrefix network) {
        try {
            return IpPrefix.parseCidr(dst).network().equals(network.network());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean owned(String key) {
        for (String k : OWNED) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }
}
