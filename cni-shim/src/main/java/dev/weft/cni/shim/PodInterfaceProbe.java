package dev.weft.cni.shim;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.weft.net.IpPrefix;

/**
 * Looks at the pod's interface for CHECK: is {@code ifName} present and up inside the network
 * namespace {@code netns}, and does it carry {@code expected}? Looking inside another namespace
 * needs netlink, which lives in the vxlan module; this interface keeps the shim free of it so
 * CHECK is unit-testable with a fake.
 */
public interface PodInterfaceProbe {
    /**
     * What is wrong with the interface, in a sentence a human can act on, or empty when it is as
     * expected.
     */
    Optional<String> problem(Path netns, String ifName, List<IpPrefix> expected);

    /** True when this probe really looks (false for {@link #unavailable()}). */
    default boolean available() {
        return true;
    }

    /**
     * The probe for builds without a netlink implementation wired in: it finds nothing wrong and
     * says so through {@link #available()}, so CHECK logs that only the delegate's CHECK (which
     * validates the interface and addresses against prevResult) ran.
     */
    static PodInterfaceProbe unavailable() {
        return Unavailable.INSTANCE;
    }

    /** See {@link #unavailable()}. */
    enum Unavailable implements PodInterfaceProbe {
        INSTANCE;

        @Override
        public Optional<String> problem(Path netns, String ifName, List<IpPrefix> expected) {
            return Optional.empty();
        }

        @Override
        public boolean available() {
            return false;
        }
    }
}
