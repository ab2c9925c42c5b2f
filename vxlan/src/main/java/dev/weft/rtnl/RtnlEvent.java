package dev.weft.rtnl;

/**
 * A change the kernel announced, as delivered by {@link RtnlMonitor}. The monitor only reports;
 * what to do about it (usually: schedule a resync) is the listener's business.
 */
public sealed interface RtnlEvent {
    /** Whether the object appeared/changed or went away. */
    enum Action { NEW, DELETED }

    record LinkEvent(Action action, Link link) implements RtnlEvent {
    }

    record AddressEvent(Action action, Address address) implements RtnlEvent {
    }

    record NeighbourEvent(Action action, Neighbour neighbour) implements RtnlEvent {
    }

    record FdbEvent(Action action, FdbEntry entry) implements RtnlEvent {
    }

    record RouteEvent(Action action, Route route) implements RtnlEvent {
    }

    record NexthopEvent(Action action, Nexthop nexthop) implements RtnlEvent {
    }

    /**
     * Notifications were lost (the socket's buffer overflowed, or a datagram did not parse):
     * the listener can no longer trust what it saw and should re-read everything.
     */
    record Overflow(String reason) implements RtnlEvent {
    }

    /** The monitor stopped because its socket failed; no further events will come. */
    record Stopped(NetlinkException cause) implements RtnlEvent {
    }
}
