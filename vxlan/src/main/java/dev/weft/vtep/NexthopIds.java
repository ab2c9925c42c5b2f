package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

/**
 * Where weft's nexthop ids come from: a block of 2²⁴ ids per family, {@code 0x57xxxxxx} ('W')
 * for IPv4 and {@code 0x56xxxxxx} for IPv6, far above the small ids iproute2 users and routing
 * daemons pick. An IPv4 destination's preferred id is the block plus its upper 24 address bits,
 * so /24 (or shorter) subnets never share one; an IPv6 destination's is the block plus a fold of
 * its upper 64 bits. When the preferred id is taken the next one in the block is tried, wrapping.
 */
final class NexthopIds {
    static final int V4_BLOCK = 0x57000000;
    static final int V6_BLOCK = 0x56000000;
    static final int BLOCK_SIZE = 1 << 24;
    private static final int LOW = BLOCK_SIZE - 1;

    private NexthopIds() {
    }

    static int preferred(IpPrefix destination) {
        byte[] a = destination.address().getAddress();
        if (destination.family() == IpFamily.V4) {
            return V4_BLOCK | (a[0] & 0xff) << 16 | (a[1] & 0xff) << 8 | a[2] & 0xff;
        }
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | a[i] & 0xff;
        }
        long folded = high ^ high >>> 24 ^ high >>> 48;
        return V6_BLOCK | (int) (folded & LOW);
    }

    /** The id after {@code id} in its block, wrapping around. */
    static int next(int id) {
        return id & ~LOW | (id + 1) & LOW;
    }
}
