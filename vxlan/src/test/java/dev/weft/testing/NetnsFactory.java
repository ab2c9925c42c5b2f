package dev.weft.testing;

/** Creates namespaces that the kernel-tier extension removes after the test. */
public interface NetnsFactory {
    /** A fresh namespace; {@code hint} only shows up in its name. */
    TestNetns create(String hint);
}
