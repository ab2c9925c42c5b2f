package dev.weft.cni.types;

import java.util.ArrayList;
import java.util.List;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonArray;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonString;
import dev.weft.cni.json.JsonTypeException;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;

/**
 * Reads and writes {@link Result} in the shape of each spec version. Reading is lenient about
 * fields newer or older versions add (a 0.4.0 {@code "version"} on an IP is checked against the
 * address, a missing one is inferred); writing is exact: 0.3.x/0.4.0 tag every IP with its
 * family, 1.0.0 does not, the 1.1.0 interface and route extras appear only in 1.1.0.
 */
public final class ResultCodec {
    private ResultCodec() {
    }

    /** Parses a result object; throws IllegalArgumentException naming the bad field. */
    public static Result parse(JsonObject o) {
        try {
            List<Result.Iface> ifaces = new ArrayList<>();
            for (JsonObject i : objects(o, "interfaces")) {
                ifaces.add(new Result.Iface(i.optString("name"), i.optString("mac"), i.optString("sandbox"),
                        i.optInt("mtu"), i.optString("socketPath"), i.optString("pciID")));
            }
            List<Result.IpConfig> ips = new ArrayList<>();
            for (JsonObject ip : objects(o, "ips")) {
                ips.add(parseIp(ip, ifaces.size()));
            }
            List<Result.Route> routes = new ArrayList<>();
            for (JsonObject r : objects(o, "routes")) {
                routes.add(new Result.Route(prefix(r, "dst"), address(r, "gw"), r.optInt("mtu"), r.optInt("advmss"),
                        r.optInt("priority"), r.optInt("table"), r.optInt("scope")));
            }
            JsonObject d = o.optObject("dns");
            Result.Dns dns = d == null ? Result.Dns.EMPTY
                    : new Result.Dns(strings(d, "nameservers"), d.optString("domain"), strings(d, "search"),
                            strings(d, "options"));
            return new Result(ifaces, ips, routes, dns);
        } catch (JsonTypeException e) {
            throw new IllegalArgumentException("result: " + e.getMessage(), e);
        }
    }

    private static Result.IpConfig parseIp(JsonObject ip, int interfaceCount) {
        IpPrefix address = prefix(ip, "address");
        String family = ip.optString("version");
        if (family != null && !family.equals(address.isIpv4() ? "4" : "6")) {
            throw new IllegalArgumentException("result: ip " + address + " is tagged version \"" + family + "\"");
        }
        Integer idx = ip.optInt("interface");
        if (idx != null && (idx < 0 || idx >= interfaceCount)) {
            throw new IllegalArgumentException("result: ip " + address + " points at interface " + idx
                    + " but there are " + interfaceCount);
        }
        return new Result.IpConfig(address, address(ip, "gateway"), idx);
    }

    /** Writes {@code r} as a result of spec version {@code v}. */
    public static JsonObject render(Result r, CniVersion v) {
        JsonObject o = new JsonObject().put("cniVersion", v.text());
        boolean v11 = v.atLeast(CniVersion.V1_1_0);
        if (!r.interfaces().isEmpty()) {
            JsonArray a = new JsonArray();
            for (Result.Iface i : r.interfaces()) {
                JsonObject j = new JsonObject().put("name", i.name());
                putIf(j, "mac", i.mac());
                if (v11) {
                    putIf(j, "mtu", i.mtu());
                }
                putIf(j, "sandbox", i.sandbox());
                if (v11) {
                    putIf(j, "socketPath", i.socketPath());
                    putIf(j, "pciID", i.pciId());
                }
                a.add(j);
            }
            o.put("interfaces", a);
        }
        if (!r.ips().isEmpty()) {
            JsonArray a = new JsonArray();
            for (Result.IpConfig ip : r.ips()) {
                JsonObject j = new JsonObject();
                if (v.ipsCarryVersion()) {
                    j.put("version", ip.address().isIpv4() ? "4" : "6");
                }
                putIf(j, "interface", ip.interfaceIndex());
                j.put("address", ip.address().toString());
                putIf(j, "gateway", ip.gateway());
                a.add(j);
            }
            o.put("ips", a);
        }
        if (!r.routes().isEmpty()) {
            o.put("routes", renderRoutes(r.routes(), v11));
        }
        o.put("dns", renderDns(r.dns()));
        return o;
    }

    private static JsonArray renderRoutes(List<Result.Route> routes, boolean v11) {
        JsonArray a = new JsonArray();
        for (Result.Route rt : routes) {
            JsonObject j = new JsonObject().put("dst", rt.dst().toString());
            putIf(j, "gw", rt.gw());
            if (v11) {
                putIf(j, "mtu", rt.mtu());
                putIf(j, "advmss", rt.advmss());
                putIf(j, "priority", rt.priority());
                putIf(j, "table", rt.table());
                putIf(j, "scope", rt.scope());
            }
            a.add(j);
        }
        return a;
    }

    private static JsonObject renderDns(Result.Dns d) {
        JsonObject j = new JsonObject();
        putList(j, "nameservers", d.nameservers());
        putIf(j, "domain", d.domain());
        putList(j, "search", d.search());
        putList(j, "options", d.options());
        return j;
    }

    private static List<JsonObject> objects(JsonObject o, String key) {
        JsonArray a = o.optArray(key);
        List<JsonObject> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        for (Json j : a.items()) {
            if (!(j instanceof JsonObject jo)) {
                throw new IllegalArgumentException("result: \"" + key + "\" must hold objects, not " + j.kind());
            }
            out.add(jo);
        }
        return out;
    }

    private static List<String> strings(JsonObject o, String key) {
        JsonArray a = o.optArray(key);
        List<String> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        for (Json j : a.items()) {
            if (!(j instanceof JsonString s)) {
                throw new IllegalArgumentException("result: dns \"" + key + "\" must hold strings");
            }
            out.add(s.value());
        }
        return out;
    }

    private static IpPrefix prefix(JsonObject o, String key) {
        String s = o.optString(key);
        if (s == null) {
            throw new IllegalArgumentException("result: \"" + key + "\" is missing");
        }
        return IpPrefix.parseCidr(s);
    }

    private static String address(JsonObject o, String key) {
        String s = o.optString(key);
        if (s != null && !s.isEmpty()) {
            try {
                IpAddresses.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("result: \"" + key + "\": " + e.getMessage(), e);
            }
            return s;
        }
        return null;
    }

    private static void putIf(JsonObject j, String key, String v) {
        if (v != null && !v.isEmpty()) {
            j.put(key, v);
        }
    }

    private static void putIf(JsonObject j, String key, Integer v) {
        if (v != null) {
            j.put(key, v.longValue());
        }
    }

    private static void putList(JsonObject j, String key, List<String> v) {
        if (!v.isEmpty()) {
            JsonArray a = new JsonArray();
            for (String s : v) {
                a.add(s);
            }
            j.put(key, a);
        }
    }
}
