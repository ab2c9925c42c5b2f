package dev.weft.cni.types;

import java.util.ArrayList;
import java.util.List;

import dev.weft.net.IpPrefix;

/**
 * A CNI result, independent of the spec version it was read in or will be written in (see
 * {@link ResultCodec}). Absent optional fields are null.
 *
 * @param interfaces the interfaces the plugin created or touched
 * @param ips        addresses, each optionally pointing into {@code interfaces}
 * @param routes     routes the plugin expects in the sandbox
 * @param dns        DNS settings, possibly all empty
 */
public record Result(List<Iface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns) {
    public Result {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        if (dns == null) {
            dns = Dns.EMPTY;
        }
    }

    /** An interface; {@code sandbox} is the netns path for container-side interfaces, null on the host. */
    public record Iface(String name, String mac, String sandbox, Integer mtu, String socketPath, String pciId) {
        public Iface {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("an interface needs a name");
            }
        }
    }

    /** An address; {@code interfaceIndex} points into {@link #interfaces()} or is null. */
    public record IpConfig(IpPrefix address, String gateway, Integer interfaceIndex) {
        public IpConfig {
            if (address == null) {
                throw new IllegalArgumentException("an IP configuration needs an address");
            }
        }
    }

    /** A route; the 1.1.0 extras are null when unset. */
    public record Route(IpPrefix dst, String gw, Integer mtu, Integer advmss, Integer priority,
                        Integer table, Integer scope) {
        public Route {
            if (dst == null) {
                throw new IllegalArgumentException("a route needs a destination");
            }
        }
    }

    /** DNS settings; lists are empty rather than null. */
    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
        public static final Dns EMPTY = new Dns(List.of(), null, List.of(), List.of());

        public Dns {
            nameservers = List.copyOf(nameservers);
            search = List.copyOf(search);
            options = List.copyOf(options);
        }
    }

    /**
     * The addresses assigned to the container interface {@code ifName}: IPs whose interface
     * index points at an interface of that name that lives in a sandbox. An IP without an index
     * belongs to no interface in particular and is not counted.
     */
    public List<IpPrefix> sandboxAddresses(String ifName) {
        ArrayList<IpPrefix> out = new ArrayList<>();
        for (IpConfig ip : ips) {
            Integer idx = ip.interfaceIndex();
            if (idx == null) {
                continue;
            }
            if (idx >= 0 && idx < interfaces.size()) {
                Iface i = interfaces.get(idx);
                if (i.name().equals(ifName) && i.sandbox() != null && !i.sandbox().isEmpty()) {
                    out.add(ip.address());
                }
            }
        }
        return List.copyOf(out);
    }
}
