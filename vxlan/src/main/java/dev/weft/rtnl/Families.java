package dev.weft.rtnl;

import dev.weft.net.IpFamily;
import dev.weft.nl.Nl;
import dev.weft.nl.NlDecodeException;

/** Maps {@link IpFamily} to the kernel's address-family numbers. */
final class Families {
    private Families() {
    }

    static int code(IpFamily f) {
        return f == IpFamily.V4 ? Nl.AF_INET : Nl.AF_INET6;
    }

    static boolean isIp(int family) {
        return family == Nl.AF_INET || family == Nl.AF_INET6;
    }

    static IpFamily of(int family) throws NlDecodeException {
        return switch (family) {
            case Nl.AF_INET -> IpFamily.V4;
            case Nl.AF_INET6 -> IpFamily.V6;
            default -> throw new NlDecodeException("address family " + family + " is neither AF_INET nor AF_INET6");
        };
    }
}
