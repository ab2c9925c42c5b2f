package dev.weft.rtnl;

import dev.weft.ffi.Errno;
import dev.weft.netns.Netns;
import dev.weft.netns.NetnsException;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;
import dev.weft.nl.NlException;
import dev.weft.nl.NlMessage;
import dev.weft.nl.NlSocket;
import dev.weft.nl.NlSockets;
import dev.weft.nl.Rtm;
import dev.weft.nl.Structs.NdMsg;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to rtnetlink notifications of one namespace on its own platform thread and hands
 * typed {@link RtnlEvent}s to a listener, on that thread. The listener should be quick (enqueue,
 * don't work): while it runs, the kernel queues further notifications, and a full queue means
 * an {@link RtnlEvent.Overflow}.
 */
public final class RtnlMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtnlMonitor.class);
    /** How often the thread looks up from an idle socket to notice {@link #close()}. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final NlSocket socket;
    private final Consumer<RtnlEvent> listener;
    private final Thread thread;
    private volatile boolean closed;

    private RtnlMonitor(NlSocket socket, Consumer<RtnlEvent> listener, Netns ns) {
        this.socket = socket;
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("weft-rtnl-monitor").daemon(true).unstarted(this::loop);
        LOG.debug("monitoring rtnetlink in {}", ns);
    }

    /** Subscribes to {@code groups} in {@code ns} and starts delivering events. */
    public static RtnlMonitor open(Netns ns, Set<RtnlGroup> groups, Consumer<RtnlEvent> listener)
            throws NetlinkException {
        Objects.requireNonNull(listener, "listener");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a monitor needs at least one group");
        }
        int mask = 0;
        for (RtnlGroup g : groups) {
            mask |= g.mask();
        }
        int groupMask = mask;
        String what = "open rtnetlink monitor for " + groups + " in " + ns;
        try {
            RtnlMonitor m = new RtnlMonitor(ns.run(() -> NlSockets.open(groupMask, POLL_INTERVAL)), listener, ns);
            m.thread.start();
            return m;
        } catch (NlException e) {
            throw NetlinkException.of(e, what);
        } catch (NetnsException e) {
            throw new NetlinkException(e.errno(), 0, what, null, e);
        }
    }

    /** Stops the thread (within one poll interval, 200 ms) and closes the socket. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() == thread) {
            return; // closed from the listener: the loop ends after this callback
        }
        try {
            if (!thread.join(POLL_INTERVAL.multipliedBy(10))) {
                LOG.warn("rtnetlink monitor thread did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (!closed) {
                try {
                    socket.poll(this::dispatch);
                } catch (NlDecodeException e) {
                    deliver(new RtnlEvent.Overflow("a notification datagram did not parse: " + e.getMessage()));
                } catch (NlException e) {
                    if (e.errno() != Errno.ENOBUFS) {
                        deliver(new RtnlEvent.Stopped(NetlinkException.of(e, "rtnetlink monitor receive")));
                        return;
                    }
                    deliver(new RtnlEvent.Overflow("the kernel dropped notifications (receive buffer full)"));
                }
            }
        } finally {
            socket.close();
        }
    }

    private void dispatch(NlMessage m) {
        if (closed) {
            return;
        }
        try {
            RtnlEvent e = decode(m);
            if (e != null) {
                deliver(e);
            }
        } catch (NlDecodeException e) {
            LOG.warn("skipping a {} notification that did not parse: {}", Rtm.name(m.type()), e.getMessage());
        }
    }

    static RtnlEvent decode(NlMessage m) throws NlDecodeException {
        RtnlEvent.Action action = switch (m.type()) {
            case Rtm.RTM_NEWLINK, Rtm.RTM_NEWADDR, Rtm.RTM_NEWROUTE, Rtm.RTM_NEWNEIGH, Rtm.RTM_NEWNEXTHOP ->
                    RtnlEvent.Action.NEW;
            case Rtm.RTM_DELLINK, Rtm.RTM_DELADDR, Rtm.RTM_DELROUTE, Rtm.RTM_DELNEIGH, Rtm.RTM_DELNEXTHOP ->
                    RtnlEvent.Action.DELETED;
            default -> null;
        };
        if (action == null) {
            return null;
        }
        return switch (m.type()) {
            case Rtm.RTM_NEWLINK, Rtm.RTM_DELLINK -> new RtnlEvent.LinkEvent(action, LinkCodec.decode(m));
            case Rtm.RTM_NEWADDR, Rtm.RTM_DELADDR -> orNull(AddressCodec.decode(m), a -> new RtnlEvent.AddressEvent(action, a));
            case Rtm.RTM_NEWROUTE, Rtm.RTM_DELROUTE -> orNull(RouteCodec.decode(m), r -> new RtnlEvent.RouteEvent(action, r));
            case Rtm.RTM_NEWNEXTHOP, Rtm.RTM_DELNEXTHOP ->
                    orNull(NexthopCodec.decode(m), n -> new RtnlEvent.NexthopEvent(action, n));
            default -> NdMsg.decode(m).family() == Nl.AF_BRIDGE
                    ? orNull(NeighbourCodec.decodeFdb(m), f -> new RtnlEvent.FdbEvent(action, f))
                    : orNull(NeighbourCodec.decodeNeighbour(m), n -> new RtnlEvent.NeighbourEvent(action, n));
        };
    }

    private static <T> RtnlEvent orNull(T value, java.util.function.Function<T, RtnlEvent> f) {
        return value == null ? null : f.apply(value);
    }

    private void deliver(RtnlEvent e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("rtnetlink event listener failed on {}", e, ex);
        }
    }
}
