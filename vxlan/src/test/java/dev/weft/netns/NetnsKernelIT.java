package dev.weft.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ffi.Interfaces;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** A client opened through each kind of namespace handle lands in that namespace, and only there. */
@KernelTest
class NetnsKernelIT {
    @Test
    void namedPathAndPidHandlesReachTheSameNamespace(TestNetns ns) throws Exception {
        Veth.loop(ns, "weftu0", "198.18.0.1/24", "weftu1");
        Process sleeper = ns.start(new ProcessBuilder("sleep", "60"));
        for (Netns handle : new Netns[] {Netns.named(ns.name()), Netns.ofPath(ns.path()), Netns.ofPid(sleeper.pid())}) {
            try (RtnlClient rtnl = RtnlClient.open(handle)) {
                assertThat(rtnl.link("weftu0")).as("via %s", handle).isPresent();
                assertThat(rtnl.links()).extracting(Link::name).containsExactlyInAnyOrder("lo", "weftu0", "weftu1");
            }
        }
        // The opening happened on another thread: this one still sees the machine's own interfaces.
        assertThat(Interfaces.nameToIndex("weftu0")).isEmpty();
        assertThat(Interfaces.nameToIndex("lo")).isPresent();
    }

    @Test
    void currentNamespaceIsTheCallersOwn() throws Exception {
        try (RtnlClient rtnl = RtnlClient.open(Netns.current())) { // read-only: never write to the root namespace
            assertThat(rtnl.link("lo")).isPresent();
            assertThat(rtnl.link("lo").orElseThrow().index()).isEqualTo(Interfaces.nameToIndex("lo").orElseThrow());
        }
    }

    @Test
    void missingOrWrongNamespaceFilesFailClearly() {
        assertThatThrownBy(() -> RtnlClient.open(Netns.named("wt-does-not-exist-" + ProcessHandle.current().pid())))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                    assertThat(e.getMessage()).contains("/var/run/netns/wt-does-not-exist");
                });
        assertThatThrownBy(() -> RtnlClient.open(Netns.ofPath(Path.of("/proc/self/ns/uts"))))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
    }
}
