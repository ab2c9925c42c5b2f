package dev.weft.iface;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;

/**
 * Picks the underlay interface the way flanneld users expect, as pure logic over
 * {@link HostInterfaces}:
 * <ol>
 * <li>When any of {@code --iface}, {@code --iface-regex}, {@code --iface-can-reach} is given,
 *     try each {@code --iface} in order (an IP means "the interface holding it"), then each
 *     regex in order (first against every interface's addresses, then against names, as
 *     flanneld does; unanchored, so anchor it yourself), then the interface of the route
 *     towards {@code --iface-can-reach}. The first usable candidate wins; if none is usable the
 *     error lists every candidate and why it was refused.</li>
 * <li>Otherwise, when {@code --public-ip} is an address of a local interface, that interface.</li>
 * <li>Otherwise the interface of the IPv4 default route (the IPv6 default route when selecting
 *     for an IPv6-only cluster).</li>
 * </ol>
 * A candidate is usable when it is up and has a non-link-local address (of IPv6, when selecting
 * for IPv6). The public IP is {@code --public-ip} ({@code --public-ipv6}) when given, else the
 * local address.
 */
public final class InterfaceSelector {
    private final HostInterfaces host;

    public InterfaceSelector(HostInterfaces host) {
        this.host = host;
    }

    /** Selects the interface for {@code spec}, or explains why none qualifies. */
    public InterfaceChoice select(InterfaceSpec spec) throws InterfaceSelectionException {
        List<Iface> all = host.list();
        List<String> refused = new ArrayList<>();
        Optional<Candidate> found = spec.explicit()
                ? explicit(spec, all, refused)
                : implicit(spec, all, refused);
        if (found.isEmpty()) {
            String what = spec.explicit()
                    ? "no interface matches --iface/--iface-regex/--iface-can-reach"
                    : "no usable default interface (pass --iface, --iface-regex or --iface-can-reach)";
            throw new InterfaceSelectionException(what + ": " + String.join("; ", refused));
        }
        return finish(found.get(), spec, refused);
    }

    private Optional<Candidate> explicit(InterfaceSpec spec, List<Iface> all, List<String> refused) {
        for (IfaceRef ref : spec.ifaces()) {
            Optional<Candidate> c = byRef(ref, all, spec.family(), refused);
            if (c.isPresent()) {
                return c;
            }
        }
        for (Pattern p : spec.regexes()) {
            Optional<Candidate> c = byRegex(p, all, spec.family(), refused);
            if (c.isPresent()) {
                return c;
            }
        }
        if (spec.canReach().isPresent()) {
            return byRoute(spec.canReach().get(), all, spec.family(), refused);
        }
        return Optional.empty();
    }

    private Optional<Candidate> implicit(InterfaceSpec spec, List<Iface> all, List<String> refused) {
        if (spec.publicIpOfFamily().isPresent()) {
            InetAddress ip = spec.publicIpOfFamily().get();
            for (Iface i : all) {
                if (i.has(ip) && usable(i, "--public-ip " + IpAddresses.format(ip) + " is on " + i.name(), refused)) {
                    return Optional.of(new Candidate(i, ip, "--public-ip " + IpAddresses.format(ip) + " is an address of " + i.name()));
                }
            }
        }
        Optional<String> dev = host.defaultRouteDevice(spec.family());
        if (dev.isEmpty()) {
            refused.add("there is no " + spec.family().label() + " default route");
            return Optional.empty();
        }
        Optional<Iface> i = named(all, dev.get());
        if (i.isEmpty()) {
            refused.add("default route device " + dev.get() + " is not in the interface list");
            return Optional.empty();
        }
        return withPreferred(i.get(), "the default route goes through " + dev.get(), "default route device " + dev.get(),
                spec.family(), refused);
    }

    private Optional<Candidate> byRef(IfaceRef ref, List<Iface> all, IpFamily family, List<String> refused) {
        return switch (ref) {
            case IfaceRef.Name n -> {
                Optional<Iface> i = named(all, n.name());
                if (i.isEmpty()) {
                    refused.add("--iface " + n.name() + ": no such interface");
                    yield Optional.empty();
                }
                yield withPreferred(i.get(), "--iface " + n.name(), "--iface " + n.name(), family, refused);
            }
            case IfaceRef.Address a -> {
                String ip = IpAddresses.format(a.address());
                Optional<Iface> i = all.stream().filter(x -> x.has(a.address())).findFirst();
                if (i.isEmpty()) {
                    refused.add("--iface " + ip + ": no interface has this address");
                    yield Optional.empty();
                }
                if (!usable(i.get(), "--iface " + ip + " (on " + i.get().name() + ")", refused)) {
                    yield Optional.empty();
                }
                yield Optional.of(new Candidate(i.get(), a.address(), "--iface " + ip + " is an address of " + i.get().name()));
            }
        };
    }

    private Optional<Candidate> byRegex(Pattern p, List<Iface> all, IpFamily family, List<String> refused) {
        String flag = "--iface-regex '" + p.pattern() + "'";
        for (Iface i : all) {
            for (IfaceAddress a : i.addresses()) {
                String ip = IpAddresses.format(a.address());
                if (!a.linkLocal() && (family == IpFamily.V4 || a.ipv6()) && p.matcher(ip).find()
                        && usable(i, flag + " matches address " + ip + " of " + i.name(), refused)) {
                    return Optional.of(new Candidate(i, a.address(), "address " + ip + " of " + i.name() + " matches " + flag));
                }
            }
        }
        for (Iface i : all) {
            if (p.matcher(i.name()).find()) {
                Optional<Candidate> c = withPreferred(i, "name " + i.name() + " matches " + flag, flag + " matches " + i.name(),
                        family, refused);
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        refused.add(flag + ": matches no usable interface address or name");
        return Optional.empty();
    }

    private Optional<Candidate> byRoute(InetAddress dst, List<Iface> all, IpFamily family, List<String> refused) {
        String flag = "--iface-can-reach " + IpAddresses.format(dst);
        Optional<RouteLookup> r = host.routeGet(dst);
        if (r.isEmpty()) {
            refused.add(flag + ": no route to it");
            return Optional.empty();
        }
        Optional<Iface> i = named(all, r.get().device());
        if (i.isEmpty()) {
            refused.add(flag + ": route device " + r.get().device() + " is not in the interface list");
            return Optional.empty();
        }
        String why = "the route to " + IpAddresses.format(dst) + " (" + flag + ") goes through " + i.get().name();
        Optional<InetAddress> src = r.get().source().filter(i.get()::has).filter(a -> IpFamily.of(a) == family);
        if (src.isPresent()) {
            return usable(i.get(), flag, refused) ? Optional.of(new Candidate(i.get(), src.get(), why)) : Optional.empty();
        }
        return withPreferred(i.get(), why, flag, family, refused);
    }

    /** IPv4 selection takes the first IPv4 address (IPv6 when there is none, as flanneld does); IPv6 selection an IPv6 one. */
    private static Optional<Candidate> withPreferred(Iface i, String why, String label, IpFamily family, List<String> refused) {
        if (!usable(i, label, refused)) {
            return Optional.empty();
        }
        Optional<InetAddress> a = family == IpFamily.V4 ? i.preferredAddress() : i.preferredAddress(IpFamily.V6);
        if (a.isEmpty()) {
            refused.add(label + ": " + i.name() + " has no usable (non-link-local" + (family == IpFamily.V6 ? ", IPv6" : "")
                    + ") address");
            return Optional.empty();
        }
        return Optional.of(new Candidate(i, a.get(), why));
    }

    private static boolean usable(Iface i, String label, List<String> refused) {
        if (!i.up()) {
            refused.add(label + ": " + i.name() + " is down");
            return false;
        }
        return true;
    }

    private static Optional<Iface> named(List<Iface> all, String name) {
        return all.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    private static InterfaceChoice finish(Candidate c, InterfaceSpec spec, List<String> refused)
            throws InterfaceSelectionException {
        InetAddress pub = spec.publicIpOfFamily().orElse(c.local());
        String flag = spec.family() == IpFamily.V4 ? "--public-ip " : "--public-ipv6 ";
        if ((pub instanceof Inet4Address) != (c.local() instanceof Inet4Address)) {
            throw new InterfaceSelectionException(flag + IpAddresses.format(pub) + " and the address "
                    + IpAddresses.format(c.local()) + " of " + c.iface().name() + " are of different IP families");
        }
        StringBuilder why = new StringBuilder()
                .append(c.iface().name()).append(" (").append(IpAddresses.format(c.local())).append("): ").append(c.why());
        if (!pub.equals(c.local())) {
            why.append("; public IP ").append(IpAddresses.format(pub)).append(" from ").append(flag.strip());
        }
        if (!refused.isEmpty()) {
            why.append("; passed over: ").append(String.join("; ", refused));
        }
        return new InterfaceChoice(c.iface(), c.local(), pub, why.toString());
    }

    private record Candidate(Iface iface, InetAddress local, String why) {
    }
}
