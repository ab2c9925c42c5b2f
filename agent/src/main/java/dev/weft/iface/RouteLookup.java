package dev.weft.iface;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/** What {@code ip route get <dst>} answers: the output device and, when the kernel names one, the source address. */
public record RouteLookup(String device, Optional<InetAddress> source) {
    public RouteLookup {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(source, "source");
    }
}
