package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.RtnlClient;
import dev.weft.testing.Json;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** ensure() per DESIGN.md: create, adopt without flapping, replace when incompatible, converge in place. */
@KernelTest
class VtepEnsureKernelIT {
    private static final MacAddress PINNED = MacAddress.parse("0a:58:00:00:00:01");

    @Test
    @SuppressWarnings("unchecked")
    void createsDeviceWithMtuRuleAddressUpAndOffloadsOn(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            VtepDevice dev = new Vtep(rtnl).ensure(spec(rtnl, "198.18.0.1", "10.42.1.0/32", Optional.of(PINNED)));

            assertThat(dev.outcome()).isEqualTo(EnsureOutcome.CREATED);
            assertThat(dev.mtu()).isEqualTo(1450);
            assertThat(dev.mac()).isEqualTo(PINNED);
            Map<String, Object> link = Json.parseArray(ns.ip("-d", "-j", "link", "show", "flannel.1")).getFirst();
            assertThat(link).containsEntry("ifindex", (long) dev.index()).containsEntry("mtu", 1450L)
                    .containsEntry("address", PINNED.toString());
            assertThat((List<Object>) link.get("flags")).contains("UP");
            assertThat(infoData(link)).containsEntry("id", 1L).containsEntry("local", "198.18.0.1")
                    .containsEntry("link", "u0").containsEntry("port", 8472L).containsEntry("learning", false);
            assertThat(ns.ip("-4", "addr", "show", "dev", "flannel.1")).contains("inet 10.42.1.0/32");
            // Offloads stay as the kernel makes them: TSO through the tunnel needs TX checksum offload.
            assertThat(ns.exec("ethtool", "-k", "flannel.1")).contains("tx-checksum-ip-generic: on")
                    .contains("tx-tcp-segmentation: on");
        }
    }

    @Test
    void ipv6UnderlayTakesSeventyBytes(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "fd00:198:18::1/64", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            VtepDevice dev = new Vtep(rtnl).ensure(spec(rtnl, "fd00:198:18::1", "fd00:42:1::/128", Optional.empty()));
            assertThat(dev.mtu()).isEqualTo(1430);
            assertThat(ns.ip("-6", "addr", "show", "dev", "flannel.1")).contains("inet6 fd00:42:1::/128");
        }
    }

    @Test
    void adoptsCompatibleDeviceInPlaceAndRepairsWhatDrifted(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            Vtep vtep = new Vtep(rtnl);
            VtepDevice first = vtep.ensure(spec(rtnl, "198.18.0.1", "10.42.1.0/32", Optional.empty()));
            ns.ip("link", "set", "flannel.1", "mtu", "1300", "down");
            ns.ip("addr", "flush", "dev", "flannel.1");
            ns.ip("addr", "add", "10.42.77.0/32", "dev", "flannel.1"); // a stale address from an older subnet

            VtepDevice again = vtep.ensure(spec(rtnl, "198.18.0.1", "10.42.1.0/32", Optional.of(PINNED)));

            assertThat(again.outcome()).isEqualTo(EnsureOutcome.ADOPTED);
            assertThat(again.index()).as("never recreated").isEqualTo(first.index());
            assertThat(again.mtu()).isEqualTo(1450);
            assertThat(again.mac()).isEqualTo(PINNED);
            String addrs = ns.ip("-4", "addr", "show", "dev", "flannel.1");
            assertThat(addrs).contains("inet 10.42.1.0/32").doesNotContain("10.42.77.0").contains("UP");
            assertThat(vtep.find("flannel.1")).hasValueSatisfying(d -> {
                assertThat(d.outcome()).isEqualTo(EnsureOutcome.FOUND);
                assertThat(d.index()).isEqualTo(first.index());
            });
        }
    }

    @Test
    void replacesIncompatibleDeviceAndLogsTheDifference(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        ns.ip("link", "add", "flannel.1", "type", "vxlan", "id", "2", "local", "198.18.0.1", "dev", "u0", "dstport",
                "4789", "learning");
        ListAppender<ILoggingEvent> logs = capture();
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            int oldIndex = rtnl.link("flannel.1").orElseThrow().index();
            VtepDevice dev = new Vtep(rtnl).ensure(spec(rtnl, "198.18.0.1", "10.42.1.0/32", Optional.empty()));

            assertThat(dev.outcome()).isEqualTo(EnsureOutcome.REPLACED);
            assertThat(dev.index()).isNotEqualTo(oldIndex);
            assertThat(infoData(Json.parseArray(ns.ip("-d", "-j", "link", "show", "flannel.1")).getFirst()))
                    .containsEntry("id", 1L).containsEntry("port", 8472L).containsEntry("learning", false);
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).contains(
                    "replacing incompatible device flannel.1: vni 2 -> 1, dstport 4789 -> 8472, learning -> nolearning");
        } finally {
            ((Logger) LoggerFactory.getLogger(DeviceEnsurer.class)).detachAppender(logs);
        }
    }

    @Test
    void replacesSomethingElseWearingTheName(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        ns.ip("link", "add", "flannel.1", "type", "veth", "peer", "name", "imposter");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            Vtep vtep = new Vtep(rtnl);
            assertThat(vtep.find("flannel.1")).isEmpty();
            VtepDevice dev = vtep.ensure(spec(rtnl, "198.18.0.1", "10.42.1.0/32", Optional.empty()));
            assertThat(dev.outcome()).isEqualTo(EnsureOutcome.REPLACED);
            assertThat(rtnl.link("flannel.1").orElseThrow().isVxlan()).isTrue();
        }
    }

    static VtepSpec spec(RtnlClient rtnl, String local, String address, Optional<MacAddress> mac) throws Exception {
        int u0 = rtnl.link("u0").orElseThrow().index();
        return new VtepSpec("flannel.1", 1, InetAddress.ofLiteral(local), u0, 8472, false, false, OptionalInt.empty(), mac,
                IpPrefix.parse(address));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> infoData(Map<String, Object> link) {
        return (Map<String, Object>) ((Map<String, Object>) link.get("linkinfo")).get("info_data");
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(DeviceEnsurer.class)).addAppender(appender);
        return appender;
    }
}
