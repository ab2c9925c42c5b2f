package dev.weft.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.weft.lease.NetConf;

/** Reading net-conf.json for the commands that only need to know the network, VNI and device. */
final class NetConfs {
    private NetConfs() {
    }

    /** The parsed file; warnings are dropped (the agent reports them), errors say the path. */
    static NetConf read(Path path) throws IOException {
        try {
            return NetConf.parse(Files.readString(path), w -> { });
        } catch (dev.weft.lease.ConfigException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** The file when it is there and valid; cleanup must work on a half-broken host. */
    static Optional<NetConf> readIfValid(Path path) {
        try {
            return Files.isReadable(path) ? Optional.of(read(path)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
