package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;
import org.junit.jupiter.api.Test;

/** Proves the kernel tier runs: a namespace of its own, a VXLAN link in it. */
@KernelTest
class VxlanTierKernelIT {
    @Test
    void createsVxlanLinkInFreshNamespace(TestNetns ns) {
        ns.ip("link", "add", "flannel.1", "type", "vxlan", "id", "1", "dstport", "8472", "nolearning");
        String json = ns.ip("-d", "-j", "link", "show", "flannel.1");
        assertThat(json).contains("\"info_kind\":\"vxlan\"").contains("\"id\":1");
        assertThat(ns.path()).exists();
    }
}
