package dev.weft.rtnl;

import dev.weft.ffi.NativeException;
import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.netns.NetnsException;
import dev.weft.nl.BatchOutcome;
import dev.weft.nl.Decoder;
import dev.weft.nl.Ethtool;
import dev.weft.nl.NlException;
import dev.weft.nl.NlSocket;
import dev.weft.nl.NlSockets;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Typed rtnetlink operations on one network namespace. The socket is opened inside the
 * namespace on a dedicated platform thread and stays bound to it; afterwards the client may be
 * used from any thread, one at a time (calls are serialised by a lock, so misuse costs waiting,
 * never a corrupted exchange). Verbs follow the kernel flags: {@code add} fails when present,
 * {@code replace} converges, {@code delete} fails when absent ({@link NetlinkException#isNotFound()}).
 * Each method's javadoc shows the equivalent command ({@code #N} is interface index N).
 */
public final class RtnlClient implements AutoCloseable {
    /** Longest wait for any single reply from the kernel. */
    static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(5);

    private final NlSocket socket;
    private final Netns netns;
    private final ReentrantLock lock = new ReentrantLock();

    private RtnlClient(NlSocket socket, Netns netns) {
        this.socket = socket;
        this.netns = netns;
    }

    /** Opens a client whose socket lives in {@code ns}. */
    public static RtnlClient open(Netns ns) throws NetlinkException {
        String what = "open rtnetlink socket in " + ns;
        try {
            return new RtnlClient(ns.run(() -> NlSockets.open(RECEIVE_TIMEOUT)), ns);
        } catch (NlException e) {
            throw NetlinkException.of(e, what);
        } catch (NetnsException e) {
            throw new NetlinkException(e.errno(), 0, what, null, e);
        }
    }

    /**
     * A client over a socket the caller opened, for a transport of its own (tests script the kernel
     * this way); {@code ns} only names the namespace in messages.
     */
    public static RtnlClient over(NlSocket socket, Netns ns) {
        return new RtnlClient(java.util.Objects.requireNonNull(socket, "socket"), ns);
    }

    public Netns namespace() {
        return netns;
    }

    // ---- links

    /**
     * {@code ip link add NAME [address MAC] [mtu MTU] type vxlan id VNI local IP dev #UNDERLAY dstport PORT
     * [no]learning [gbp]}; returns the new link.
     */
    public Link createVxlan(VxlanLinkSpec spec) throws NetlinkException {
        execute(RtnlRequest.link(LinkCodec.createVxlan(spec), false, () -> "link add " + spec.name() + " type vxlan id "
                + spec.vni() + " local " + IpPrefix.format(spec.local()) + " dev #" + spec.underlayIndex() + " dstport "
                + spec.port()));
        return link(spec.name()).orElseThrow(() -> new NetlinkException(dev.weft.ffi.Errno.ENODEV, 0,
                "link show " + spec.name() + " right after creating it", null, null));
    }

    /** {@code ip link set dev #INDEX up}. */
    public void setUp(int index) throws NetlinkException {
        execute(RtnlRequest.link(LinkCodec.setUp(index, true), false, () -> "link set dev #" + index + " up"));
    }

    /** {@code ip link set dev #INDEX down}. */
    public void setDown(int index) throws NetlinkException {
        execute(RtnlRequest.link(LinkCodec.setUp(index, false), false, () -> "link set dev #" + index + " down"));
    }

    /** {@code ip link set dev #INDEX mtu MTU}. */
    public void setMtu(int index, int mtu) throws NetlinkException {
        LinkNames.validateMtu(mtu);
        execute(RtnlRequest.link(LinkCodec.setMtu(index, mtu), false, () -> "link set dev #" + index + " mtu " + mtu));
    }

    /** {@code ip link set dev #INDEX address MAC}. */
    public void setMac(int index, MacAddress mac) throws NetlinkException {
        execute(RtnlRequest.link(LinkCodec.setMac(index, mac), false, () -> "link set dev #" + index + " address " + mac));
    }

    /** {@code ip link del dev #INDEX}. */
    public void deleteLink(int index) throws NetlinkException {
        execute(RtnlRequest.link(LinkCodec.delete(index), true, () -> "link del dev #" + index));
    }

    /** {@code ip -d link show NAME}; empty when there is no such link. */
    public Optional<Link> link(String name) throws NetlinkException {
        LinkNames.validate(name);
        return get(LinkCodec.getByName(name), LinkCodec::decode, () -> "link show " + name);
    }

    /** {@code ip -d link show dev #INDEX}; empty when there is no such link. */
    public Optional<Link> link(int index) throws NetlinkException {
        return get(LinkCodec.getByIndex(index), LinkCodec::decode, () -> "link show dev #" + index);
    }

    /** {@code ip -d link show}. */
    public List<Link> links() throws NetlinkException {
        return dump(LinkCodec.dump(), LinkCodec::decode, () -> "link show");
    }

    // ---- addresses

    /** {@code ip addr add PREFIX dev #INDEX}. */
    public void addAddress(int index, IpPrefix prefix) throws NetlinkException {
        execute(RtnlRequest.addAddress(index, prefix));
    }

    /** {@code ip addr replace PREFIX dev #INDEX}. */
    public void replaceAddress(int index, IpPrefix prefix) throws NetlinkException {
        execute(RtnlRequest.replaceAddress(index, prefix));
    }

    /** {@code ip addr del PREFIX dev #INDEX}. */
    public void deleteAddress(int index, IpPrefix prefix) throws NetlinkException {
        execute(RtnlRequest.deleteAddress(index, prefix));
    }

    /** {@code ip addr show dev #INDEX} (IPv4 and IPv6). */
    public List<Address> addresses(int index) throws NetlinkException {
        return dump(AddressCodec.dump(index), AddressCodec::decode, () -> "addr show dev #" + index);
    }

    // ---- neighbours

    /** {@code ip neigh replace IP lladdr MAC dev #INDEX nud permanent}. */
    public void replaceNeighbour(int index, InetAddress ip, MacAddress mac) throws NetlinkException {
        execute(RtnlRequest.replaceNeighbour(index, ip, mac));
    }

    /** {@code ip neigh del IP dev #INDEX}. */
    public void deleteNeighbour(int index, InetAddress ip) throws NetlinkException {
        execute(RtnlRequest.deleteNeighbour(index, ip));
    }

    /** {@code ip neigh show dev #INDEX} (IPv4 and IPv6). */
    public List<Neighbour> neighbours(int index) throws NetlinkException {
        return dump(NeighbourCodec.dumpNeighbours(index), NeighbourCodec::decodeNeighbour,
                () -> "neigh show dev #" + index);
    }

    // ---- forwarding database

    /** {@code bridge fdb replace MAC dev #INDEX dst DST self permanent}. */
    public void replaceFdb(int index, MacAddress mac, InetAddress dst) throws NetlinkException {
        execute(RtnlRequest.replaceFdb(index, mac, dst));
    }

    /** {@code bridge fdb append MAC dev #INDEX dst DST self permanent}. */
    public void appendFdb(int index, MacAddress mac, InetAddress dst) throws NetlinkException {
        execute(RtnlRequest.appendFdb(index, mac, dst));
    }

    /** {@code bridge fdb del MAC dev #INDEX dst DST self}. */
    public void deleteFdb(int index, MacAddress mac, InetAddress dst) throws NetlinkException {
        execute(RtnlRequest.deleteFdb(index, mac, Optional.of(dst)));
    }

    /** {@code bridge fdb show dev #INDEX}. */
    public List<FdbEntry> fdb(int index) throws NetlinkException {
        return dump(NeighbourCodec.dumpFdb(index), NeighbourCodec::decodeFdb, () -> "fdb show dev #" + index);
    }

    // ---- routes

    /** {@code ip route replace DST [via GW] dev #INDEX [onlink] proto P [table T]}. */
    public void replaceRoute(Route route) throws NetlinkException {
        execute(RtnlRequest.replaceRoute(route));
    }

    /** {@code ip route add DST [via GW] dev #INDEX [onlink] proto P [table T]}. */
    public void addRoute(Route route) throws NetlinkException {
        execute(RtnlRequest.addRoute(route));
    }

    /** {@code ip route del DST [via GW] dev #INDEX proto P [table T]}. */
    public void deleteRoute(Route route) throws NetlinkException {
        execute(RtnlRequest.deleteRoute(route));
    }

    /** {@code ip route show [table T] [dev #INDEX] [proto P]}, filtered in the kernel. */
    public List<Route> routes(RouteFilter filter) throws NetlinkException {
        return dump(RouteCodec.dump(filter), RouteCodec::decode, () -> "route show " + filter);
    }

    /** {@code ip route get DST}: the route the kernel would use; fails {@link NetlinkException#isUnreachable()} when none. */
    public Route routeGet(InetAddress dst) throws NetlinkException {
        return get(RouteCodec.get(dst), RouteCodec::decode, () -> "route get " + IpPrefix.format(dst))
                .orElseThrow(() -> new NetlinkException(dev.weft.ffi.Errno.EBADMSG, 0,
                        "route get " + IpPrefix.format(dst) + " was acknowledged without an answer", null, null));
    }

    // ---- nexthop objects (Linux 5.3+; older kernels fail these with NetlinkException#isNotSupported())

    /** {@code ip nexthop replace id ID via GW dev #INDEX [onlink] proto P}. */
    public void replaceNexthop(Nexthop nexthop) throws NetlinkException {
        execute(RtnlRequest.replaceNexthop(nexthop));
    }

    /** {@code ip nexthop add id ID via GW dev #INDEX [onlink] proto P}. */
    public void addNexthop(Nexthop nexthop) throws NetlinkException {
        execute(RtnlRequest.addNexthop(nexthop));
    }

    /** {@code ip nexthop del id ID}; the routes using it go with it. */
    public void deleteNexthop(int id) throws NetlinkException {
        execute(RtnlRequest.deleteNexthop(id));
    }

    /** {@code ip nexthop show} (both families, groups included). */
    public List<Nexthop> nexthops() throws NetlinkException {
        return dump(NexthopCodec.dump(java.util.OptionalInt.empty()), NexthopCodec::decode, () -> "nexthop show");
    }

    /** {@code ip nexthop show dev #INDEX}, filtered in the kernel. */
    public List<Nexthop> nexthops(int index) throws NetlinkException {
        return dump(NexthopCodec.dump(java.util.OptionalInt.of(index)), NexthopCodec::decode,
                () -> "nexthop show dev #" + index);
    }

    // ---- offloads

    /**
     * {@code ethtool -K DEV tx off}: TX checksum offload off, the known workaround for VXLAN
     * packets with bad checksums behind NAT or on some NICs (flannel's troubleshooting guide).
     * The kernel then drops TSO on the device too.
     */
    public void disableTxChecksum(int index) throws NetlinkException {
        ethtool(index, Ethtool.ETHTOOL_STXCSUM, 0, "tx off");
    }

    /** {@code ethtool -k DEV} "tx-checksumming": whether any TX checksum offload is on. */
    public boolean txChecksumEnabled(int index) throws NetlinkException {
        return ethtool(index, Ethtool.ETHTOOL_GTXCSUM, 0, "tx?") != 0;
    }

    private int ethtool(int index, int cmd, int value, String what) throws NetlinkException {
        String name = link(index).map(Link::name).orElseThrow(() ->
                new NetlinkException(dev.weft.ffi.Errno.ENODEV, 0, "ethtool dev #" + index + " " + what, null, null));
        lock.lock();
        try {
            if (!(socket.transport() instanceof NlSockets.FdTransport t)) {
                throw new IllegalStateException("ethtool needs a real netlink socket");
            }
            return t.fd().ethtool(name, cmd, value);
        } catch (NativeException e) {
            throw new NetlinkException(e.errno(), 0, "ethtool " + name + " " + what, null, e);
        } finally {
            lock.unlock();
        }
    }

    // ---- batching

    /**
     * Sends all requests, many per datagram, in order, and reports each failure. The kernel
     * applies them in the given order; a failed request does not stop the ones after it.
     */
    public BatchResult batch(List<RtnlRequest> requests) throws NetlinkException {
        List<byte[]> wire = new ArrayList<>(requests.size());
        for (RtnlRequest r : requests) {
            wire.add(r.wireUnsafe());
        }
        BatchOutcome outcome;
        lock.lock();
        try {
            outcome = socket.batch(wire);
        } catch (NlException e) {
            throw NetlinkException.of(e, "batch of " + requests.size() + " requests");
        } finally {
            lock.unlock();
        }
        List<BatchResult.Failure> failures = new ArrayList<>(outcome.failures().size());
        for (BatchOutcome.Failure f : outcome.failures()) {
            RtnlRequest r = requests.get(f.index());
            NetlinkException e = NetlinkException.of(NlException.fromReply(f.reply()), r.summary());
            failures.add(new BatchResult.Failure(f.index(), r, e));
        }
        return new BatchResult(requests.size(), failures);
    }

    /** Sends one request; throws its failure. */
    public void execute(RtnlRequest request) throws NetlinkException {
        batch(List.of(request)).throwIfFailed();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            socket.close();
        } finally {
            lock.unlock();
        }
    }

    private <T> Optional<T> get(byte[] request, Decoder<T> decoder, Supplier<String> what) throws NetlinkException {
        lock.lock();
        try {
            return socket.request(request, decoder);
        } catch (NlException e) {
            NetlinkException n = NetlinkException.of(e, what.get());
            if (n.isNotFound()) {
                return Optional.empty();
            }
            throw n;
        } finally {
            lock.unlock();
        }
    }

    private <T> List<T> dump(byte[] request, Decoder<T> decoder, Supplier<String> what) throws NetlinkException {
        lock.lock();
        try {
            return socket.dump(request, decoder);
        } catch (NlException e) {
            throw NetlinkException.of(e, what.get());
        } finally {
            lock.unlock();
        }
    }
}
