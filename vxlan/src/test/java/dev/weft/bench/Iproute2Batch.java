package dev.weft.bench;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.Route;
import dev.weft.testing.Cmd;
import dev.weft.testing.TestNetns;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.RouteForm;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The same work done the way a shell script would: one {@code ip -batch} and one
 * {@code bridge -batch} process, commands fed on stdin. Reading back parses their text output.
 * With {@link RouteForm#NEXTHOP} the script writes one {@code nexthop replace} per route (the
 * ids weft would pick) and the route as {@code nhid}; comparing ignores the ids.
 */
final class Iproute2Batch {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final TestNetns ns;
    private final String dev;
    private final String underlay;
    private final RouteForm form;

    Iproute2Batch(TestNetns ns, String dev, String underlay, RouteForm form) {
        this.ns = ns;
        this.dev = dev;
        this.underlay = underlay;
        this.form = form;
    }

    private boolean nexthops() {
        return form == RouteForm.NEXTHOP;
    }

    /** weft's preferred id for an IPv4 destination: 0x57 and the address's upper 24 bits. */
    static int nexthopId(Route r) {
        byte[] a = r.destination().address().getAddress();
        return 0x57000000 | (a[0] & 0xff) << 16 | (a[1] & 0xff) << 8 | a[2] & 0xff;
    }

    /** FDB entries first, then neighbours, then routes: the order DESIGN.md asks for. */
    void program(DesiredEntries d) {
        StringBuilder fdb = new StringBuilder();
        for (FdbEntry e : d.fdb()) {
            fdb.append("fdb replace ").append(e.mac()).append(" dev ").append(dev).append(" dst ")
                    .append(IpPrefix.format(e.destination().orElseThrow())).append(" self permanent\n");
        }
        StringBuilder ip = new StringBuilder();
        for (Neighbour n : d.neighbours()) {
            ip.append("neigh replace ").append(IpPrefix.format(n.address())).append(" lladdr ")
                    .append(n.mac().orElseThrow()).append(" dev ").append(dev).append(" nud permanent\n");
        }
        for (Route r : d.routes()) {
            if (nexthops()) {
                ip.append("nexthop replace id ").append(nexthopId(r)).append(hop(r, d)).append('\n');
            }
        }
        for (Route r : d.routes()) {
            ip.append("route replace ").append(route(r, d)).append('\n');
        }
        run("bridge", fdb);
        run("ip", ip);
    }

    void remove(DesiredEntries d) {
        StringBuilder ip = new StringBuilder();
        for (Route r : d.routes()) {
            ip.append("route del ").append(route(r, d)).append('\n');
        }
        for (Route r : d.routes()) {
            if (nexthops()) {
                ip.append("nexthop del id ").append(nexthopId(r)).append('\n');
            }
        }
        for (Neighbour n : d.neighbours()) {
            ip.append("neigh del ").append(IpPrefix.format(n.address())).append(" dev ").append(dev).append('\n');
        }
        StringBuilder fdb = new StringBuilder();
        for (FdbEntry e : d.fdb()) {
            fdb.append("fdb del ").append(e.mac()).append(" dev ").append(dev).append(" dst ")
                    .append(IpPrefix.format(e.destination().orElseThrow())).append(" self\n");
        }
        run("ip", ip);
        run("bridge", fdb);
    }

    /** Dumps with one process per tool, then compares with what is wanted; returns the number of differences. */
    int resync(DesiredEntries d) {
        Set<String> have = new HashSet<>();
        run("ip", new StringBuilder("neigh show dev " + dev + " nud permanent\nroute show dev " + dev + " proto 87\n"
                + "route show dev " + underlay + " proto 87\n" + (nexthops() ? "nexthop show proto 87\n" : "")))
                .lines().forEach(l -> have.add(l.strip().replaceFirst("^id \\d+ ", "").replaceFirst(" nhid \\d+ ", " ")));
        run("bridge", new StringBuilder("fdb show dev " + dev + "\n")).lines().forEach(l -> have.add(l.strip()));
        Set<String> want = new HashSet<>();
        d.neighbours().forEach(n -> want.add(IpPrefix.format(n.address()) + " lladdr " + n.mac().orElseThrow() + " PERMANENT"));
        d.fdb().forEach(e -> want.add(e.mac() + " dst " + IpPrefix.format(e.destination().orElseThrow()) + " self permanent"));
        d.routes().forEach(r -> want.add(r.destination() + " via " + IpPrefix.format(r.gateway().orElseThrow())
                + (r.onlink() ? " onlink" : "")));
        if (nexthops()) { // "id N via GW dev DEV scope link proto 87 onlink", id stripped above
            d.routes().forEach(r -> want.add(hop(r, d).strip().replace(" proto 87", " scope link proto 87")));
        }
        Set<String> extra = new HashSet<>(have);
        extra.removeAll(want);
        want.removeAll(have);
        return extra.size() + want.size();
    }

    private String route(Route r, DesiredEntries d) {
        if (nexthops()) {
            return r.destination() + " nhid " + nexthopId(r) + " proto " + r.protocol();
        }
        String device = r.device().orElseThrow() == d.deviceIndex() ? dev : underlay;
        return r.destination() + " via " + IpPrefix.format(r.gateway().orElseThrow()) + " dev " + device
                + (r.onlink() ? " onlink" : "") + " proto " + r.protocol();
    }

    /** " via GW dev DEV [onlink] proto P", the nexthop object's part. */
    private String hop(Route r, DesiredEntries d) {
        String device = r.device().orElseThrow() == d.deviceIndex() ? dev : underlay;
        return " via " + IpPrefix.format(r.gateway().orElseThrow()) + " dev " + device + " proto " + r.protocol()
                + (r.onlink() ? " onlink" : "");
    }

    private String run(String tool, StringBuilder commands) {
        Cmd.Result r = Cmd.exec(TIMEOUT, commands.toString(), List.of(tool, "-n", ns.name(), "-batch", "-"));
        return r.orThrow();
    }
}
