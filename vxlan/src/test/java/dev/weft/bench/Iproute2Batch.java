package dev.weft.bench;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.Route;
import dev.weft.testing.Cmd;
import dev.weft.testing.TestNetns;
import dev.weft.vtep.DesiredEntries;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The same work done the way a shell script would: one {@code ip -batch} and one
 * {@code bridge -batch} process, commands fed on stdin. Reading back parses their text output.
 */
final class Iproute2Batch {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final TestNetns ns;
    private final String dev;
    private final String underlay;

    Iproute2Batch(TestNetns ns, String dev, String underlay) {
        this.ns = ns;
        this.dev = dev;
        this.underlay = underlay;
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
                + "route show dev " + underlay + " proto 87\n")).lines().forEach(l -> have.add(l.strip()));
        run("bridge", new StringBuilder("fdb show dev " + dev + "\n")).lines().forEach(l -> have.add(l.strip()));
        Set<String> want = new HashSet<>();
        d.neighbours().forEach(n -> want.add(IpPrefix.format(n.address()) + " lladdr " + n.mac().orElseThrow() + " PERMANENT"));
        d.fdb().forEach(e -> want.add(e.mac() + " dst " + IpPrefix.format(e.destination().orElseThrow()) + " self permanent"));
        d.routes().forEach(r -> want.add(r.destination() + " via " + IpPrefix.format(r.gateway().orElseThrow())
                + (r.onlink() ? " onlink" : "")));
        Set<String> extra = new HashSet<>(have);
        extra.removeAll(want);
        want.removeAll(have);
        return extra.size() + want.size();
    }

    private String route(Route r, DesiredEntries d) {
        String device = r.device().orElseThrow() == d.deviceIndex() ? dev : underlay;
        return r.destination() + " via " + IpPrefix.format(r.gateway().orElseThrow()) + " dev " + device
                + (r.onlink() ? " onlink" : "") + " proto " + r.protocol();
    }

    private String run(String tool, StringBuilder commands) {
        Cmd.Result r = Cmd.exec(TIMEOUT, commands.toString(), List.of(tool, "-n", ns.name(), "-batch", "-"));
        return r.orThrow();
    }
}
