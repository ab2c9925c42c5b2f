package dev.weft.vtep;

/**
 * How weft writes a peer's route.
 *
 * <p>{@link #GATEWAY} is flannel's form, {@code <subnet> via <subnet .0> dev flannel.1 onlink}: each
 * such route gets a kernel fib_info of its own, and the kernel finds an existing fib_info to share
 * through a hash of protocol, scope, preferred source, priority and output device, not the
 * gateway (fib_info_hashfn in net/ipv4/fib_semantics.c). All of a VTEP's routes land in one bucket,
 * so adding the n-th route compares it with the n−1 before it: programming N peers costs O(N²)
 * (docs/footprint.md, "route 3": 0.6 s for 5000 routes, 2.6 s for 10000 with {@code ip -batch}).
 *
 * <p>{@link #NEXTHOP} gives each peer a nexthop object ({@code ip nexthop add id ID via <subnet .0>
 * dev flannel.1 onlink proto 87}) and the route {@code <subnet> nhid ID proto 87}. The hash then
 * takes the nexthop id, which differs per peer, and programming is linear. Nexthop objects need
 * Linux 5.3; on an older kernel {@link Vtep} falls back to {@link #GATEWAY} and says so once.
 * Both forms forward identically, and either converts to the other by replacing each route in
 * place, never deleting it first.
 */
public enum RouteForm {
    /** One nexthop object per peer, the route refers to it by id (the default). */
    NEXTHOP,
    /** The route carries its own gateway and device, as flannel writes it. */
    GATEWAY
}
