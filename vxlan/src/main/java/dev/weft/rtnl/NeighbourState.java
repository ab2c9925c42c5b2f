package dev.weft.rtnl;

/** Neighbour-cache entry state ({@code ip neigh}: PERMANENT, REACHABLE, STALE ...). */
public enum NeighbourState {
    PERMANENT, NOARP, REACHABLE, STALE, DELAY, PROBE, INCOMPLETE, FAILED, NONE
}
