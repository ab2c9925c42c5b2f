package dev.weft.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.weft.net.IpFamily;

class InterfaceSelectorTest {
    /** A host described in the test: interfaces, routes, default route. */
    static final class FakeHost implements HostInterfaces {
        final List<Iface> ifaces = new ArrayList<>();
        final Map<InetAddress, RouteLookup> routes = new HashMap<>();
        Optional<String> defaultDev = Optional.empty();
        Optional<String> defaultDev6 = Optional.empty();

        FakeHost add(String name, boolean up, String... cidrs) {
            List<IfaceAddress> as = new ArrayList<>();
            for (String c : cidrs) {
                String[] p = c.split("/");
                as.add(new IfaceAddress(ip(p[0]), Integer.parseInt(p[1])));
            }
            ifaces.add(new Iface(name, ifaces.size() + 1, 1500, up, as));
            return this;
        }

        @Override
        public List<Iface> list() {
            return ifaces;
        }

        @Override
        public Optional<RouteLookup> routeGet(InetAddress destination) {
            return Optional.ofNullable(routes.get(destination));
        }

        @Override
        public Optional<String> defaultRouteDevice(IpFamily family) {
            return family == IpFamily.V4 ? defaultDev : defaultDev6;
        }
    }

    static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    final FakeHost host = new FakeHost()
            .add("lo", true, "127.0.0.1/8", "::1/128")
            .add("eth0", true, "fe80::1/64", "198.18.0.2/24", "fd00::2/64")
            .add("eth1", true, "198.51.100.7/24")
            .add("eth2", false, "198.18.5.2/24")
            .add("v6only", true, "fe80::9/64", "fd00:9::9/64")
            .add("bare", true, "fe80::7/64");

    InterfaceChoice select(InterfaceSpec spec) throws InterfaceSelectionException {
        return new InterfaceSelector(host).select(spec);
    }

    static InterfaceSpec ifaces(IfaceRef... refs) {
        return new InterfaceSpec(List.of(refs), List.of(), Optional.empty(), Optional.empty());
    }

    static InterfaceSpec regex(String... rs) {
        return new InterfaceSpec(List.of(), List.of(rs).stream().map(Pattern::compile).toList(), Optional.empty(), Optional.empty());
    }

    @Test
    void defaultIsTheDefaultRouteInterfaceWithItsIpv4Address() throws Exception {
        host.defaultDev = Optional.of("eth0");
        InterfaceChoice c = select(InterfaceSpec.defaults());
        assertThat(c.iface().name()).isEqualTo("eth0");
        assertThat(c.localAddress()).isEqualTo(ip("198.18.0.2"));
        assertThat(c.publicIp()).isEqualTo(ip("198.18.0.2"));
        assertThat(c.why()).isEqualTo("eth0 (198.18.0.2): the default route goes through eth0");
    }

    @Test
    void noDefaultRouteIsAnErrorThatSaysWhichFlagsHelp() {
        assertThatThrownBy(() -> select(InterfaceSpec.defaults()))
                .isInstanceOf(InterfaceSelectionException.class)
                .hasMessageContaining("--iface").hasMessageContaining("no IPv4 default route");
    }

    @Test
    void defaultRouteOnADownInterfaceIsRefused() {
        host.defaultDev = Optional.of("eth2");
        assertThatThrownBy(() -> select(InterfaceSpec.defaults())).hasMessageContaining("eth2 is down");
    }

    @Test
    void defaultRouteDeviceMissingFromListIsReported() {
        host.defaultDev = Optional.of("ghost0");
        assertThatThrownBy(() -> select(InterfaceSpec.defaults())).hasMessageContaining("ghost0 is not in the interface list");
    }

    @Test
    void publicIpOnALocalInterfacePicksThatInterfaceByDefault() throws Exception {
        host.defaultDev = Optional.of("eth0");
        InterfaceChoice c = select(new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.of(ip("198.51.100.7"))));
        assertThat(c.iface().name()).isEqualTo("eth1");
        assertThat(c.localAddress()).isEqualTo(ip("198.51.100.7"));
        assertThat(c.why()).contains("--public-ip 198.51.100.7 is an address of eth1");
    }

    @Test
    void publicIpElsewhereKeepsDefaultInterfaceAndIsPublished() throws Exception {
        host.defaultDev = Optional.of("eth0");
        InterfaceChoice c = select(new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.of(ip("203.0.113.9"))));
        assertThat(c.iface().name()).isEqualTo("eth0");
        assertThat(c.localAddress()).isEqualTo(ip("198.18.0.2"));
        assertThat(c.publicIp()).isEqualTo(ip("203.0.113.9"));
        assertThat(c.why()).contains("public IP 203.0.113.9 from --public-ip");
    }

    @Test
    void publicIpOfOtherFamilyIsRefused() {
        assertThatThrownBy(() -> new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.of(ip("fd00::99"))))
                .hasMessageContaining("--public-ip must be an IPv4 address");
        assertThatThrownBy(() -> new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.of(ip("198.18.0.9")), IpFamily.V6)).hasMessageContaining("--public-ipv6 must be an IPv6 address");
        assertThatThrownBy(() -> select(new InterfaceSpec(List.of(new IfaceRef.Address(ip("fd00::2"))), List.of(), Optional.empty(),
                Optional.of(ip("198.18.0.9"))))).hasMessageContaining("different IP families");
    }

    @Test
    void ipv6OnlySelectionFollowsTheIpv6DefaultRouteAndTakesAnIpv6Address() throws Exception {
        host.defaultDev = Optional.of("eth1");
        host.defaultDev6 = Optional.of("eth0");
        InterfaceChoice c = select(InterfaceSpec.defaults().forFamily(IpFamily.V6));
        assertThat(c.iface().name()).isEqualTo("eth0");
        assertThat(c.localAddress()).isEqualTo(ip("fd00::2"));
        assertThat(c.publicIp()).isEqualTo(ip("fd00::2"));
        assertThat(c.why()).contains("the default route goes through eth0");
    }

    @Test
    void ipv6OnlySelectionPublishesPublicIpv6AndIgnoresPublicIp() throws Exception {
        host.defaultDev6 = Optional.of("eth0");
        InterfaceChoice c = select(new InterfaceSpec(List.of(), List.of(), Optional.empty(), Optional.of(ip("198.51.100.7")),
                Optional.of(ip("fd00:99::1")), IpFamily.V6));
        assertThat(c.iface().name()).isEqualTo("eth0");
        assertThat(c.publicIp()).isEqualTo(ip("fd00:99::1"));
        assertThat(c.why()).contains("from --public-ipv6");
    }

    @Test
    void ipv6OnlySelectionWithoutAnIpv6DefaultRouteSaysSo() {
        host.defaultDev = Optional.of("eth0");
        assertThatThrownBy(() -> select(InterfaceSpec.defaults().forFamily(IpFamily.V6)))
                .hasMessageContaining("there is no IPv6 default route");
    }

    @Test
    void ipv6OnlySelectionRefusesAnInterfaceWithoutGlobalIpv6() {
        assertThatThrownBy(() -> select(ifaces(new IfaceRef.Name("eth1")).forFamily(IpFamily.V6)))
                .hasMessageContaining("eth1 has no usable (non-link-local, IPv6) address");
        assertThat(catchThrowable(() -> select(regex("198\\.18\\.0\\.2").forFamily(IpFamily.V6))))
                .as("an IPv4 address does not match for IPv6").hasMessageContaining("matches no usable");
    }

    @Test
    void ifaceByName() throws Exception {
        InterfaceChoice c = select(ifaces(new IfaceRef.Name("eth1")));
        assertThat(c.iface().name()).isEqualTo("eth1");
        assertThat(c.why()).isEqualTo("eth1 (198.51.100.7): --iface eth1");
    }

    @Test
    void ifaceByAddressUsesThatAddressEvenIfNotFirst() throws Exception {
        InterfaceChoice c = select(ifaces(new IfaceRef.Address(ip("fd00::2"))));
        assertThat(c.iface().name()).isEqualTo("eth0");
        assertThat(c.localAddress()).isEqualTo(ip("fd00::2"));
        assertThat(c.why()).contains("--iface fd00::2 is an address of eth0");
    }

    @Test
    void ifacesAreTriedInOrderAndTheRefusalsExplained() throws Exception {
        InterfaceChoice c = select(ifaces(new IfaceRef.Name("eth9"), new IfaceRef.Name("eth2"),
                new IfaceRef.Address(ip("10.9.9.9")), new IfaceRef.Name("bare"), new IfaceRef.Name("eth1")));
        assertThat(c.iface().name()).isEqualTo("eth1");
        assertThat(c.why()).contains("--iface eth9: no such interface", "eth2 is down",
                "--iface 10.9.9.9: no interface has this address", "bare has no usable (non-link-local) address");
    }

    @Test
    void ipv6OnlyInterfaceUsesItsGlobalIpv6Address() throws Exception {
        assertThat(select(ifaces(new IfaceRef.Name("v6only"))).localAddress()).isEqualTo(ip("fd00:9::9"));
    }

    @Test
    void noMatchingIfaceIsAnErrorListingEveryCandidate() {
        assertThatThrownBy(() -> select(ifaces(new IfaceRef.Name("eth9"), new IfaceRef.Name("eth2"))))
                .isInstanceOf(InterfaceSelectionException.class)
                .hasMessageStartingWith("no interface matches --iface/--iface-regex/--iface-can-reach")
                .hasMessageContaining("eth9: no such interface").hasMessageContaining("eth2 is down");
    }

    @Test
    void regexMatchesAddressesBeforeNames() throws Exception {
        // "eth1" as a name matches too, but an address match anywhere wins first, as in flanneld.
        InterfaceChoice c = new InterfaceSelector(host).select(regex("^198\\.18\\.0\\.|eth1"));
        assertThat(c.iface().name()).isEqualTo("eth0");
        assertThat(c.localAddress()).isEqualTo(ip("198.18.0.2"));
        assertThat(c.why()).contains("address 198.18.0.2 of eth0 matches --iface-regex");
    }

    @Test
    void regexFallsBackToNamesAndIsUnanchored() throws Exception {
        InterfaceChoice c = select(regex("th1"));
        assertThat(c.iface().name()).isEqualTo("eth1");
        assertThat(c.why()).contains("name eth1 matches --iface-regex 'th1'");
    }

    @Test
    void regexSkipsDownInterfacesAndLinkLocalAddresses() {
        assertThatThrownBy(() -> select(regex("^198\\.18\\.5\\.", "^fe80::7")))
                .hasMessageContaining("matches address 198.18.5.2 of eth2: eth2 is down")
                .hasMessageContaining("'^fe80::7': matches no usable interface address or name");
    }

    @Test
    void regexesAreTriedInOrderAfterIfaces() throws Exception {
        InterfaceSpec spec = new InterfaceSpec(List.of(new IfaceRef.Name("eth9")),
                List.of(Pattern.compile("^nomatch"), Pattern.compile("^eth1$")), Optional.empty(), Optional.empty());
        InterfaceChoice c = select(spec);
        assertThat(c.iface().name()).isEqualTo("eth1");
        assertThat(c.why()).contains("eth9: no such interface", "'^nomatch': matches no usable");
    }

    @Test
    void canReachUsesRouteDeviceAndItsSourceAddress() throws Exception {
        host.routes.put(ip("198.51.100.1"), new RouteLookup("eth1", Optional.of(ip("198.51.100.7"))));
        InterfaceChoice c = select(new InterfaceSpec(List.of(), List.of(), Optional.of(ip("198.51.100.1")), Optional.empty()));
        assertThat(c.iface().name()).isEqualTo("eth1");
        assertThat(c.localAddress()).isEqualTo(ip("198.51.100.7"));
        assertThat(c.why()).contains("the route to 198.51.100.1 (--iface-can-reach 198.51.100.1) goes through eth1");
    }

    @Test
    void canReachWithoutSourceUsesPreferredAddress() throws Exception {
        host.routes.put(ip("198.18.0.1"), new RouteLookup("eth0", Optional.empty()));
        InterfaceChoice c = select(new InterfaceSpec(List.of(), List.of(), Optional.of(ip("198.18.0.1")), Optional.empty()));
        assertThat(c.localAddress()).isEqualTo(ip("198.18.0.2"));
    }

    @Test
    void canReachIsTriedLastAndFailsClearly() {
        InterfaceSpec spec = new InterfaceSpec(List.of(new IfaceRef.Name("eth9")), List.of(), Optional.of(ip("203.0.113.1")), Optional.empty());
        assertThatThrownBy(() -> select(spec)).hasMessageContaining("--iface-can-reach 203.0.113.1: no route to it");
        host.routes.put(ip("203.0.113.1"), new RouteLookup("tun9", Optional.empty()));
        assertThatThrownBy(() -> select(spec)).hasMessageContaining("route device tun9 is not in the interface list");
    }

    @Test
    void explicitFlagsNeverFallBackToTheDefaultRoute() {
        host.defaultDev = Optional.of("eth0");
        assertThatThrownBy(() -> select(ifaces(new IfaceRef.Name("eth9")))).isInstanceOf(InterfaceSelectionException.class);
    }

    @Test
    void publicIpOverridesWhatIsPublishedWithExplicitIface() throws Exception {
        InterfaceSpec spec = new InterfaceSpec(List.of(new IfaceRef.Name("eth0")), List.of(), Optional.empty(), Optional.of(ip("203.0.113.5")));
        InterfaceChoice c = select(spec);
        assertThat(c.localAddress()).isEqualTo(ip("198.18.0.2"));
        assertThat(c.publicIp()).isEqualTo(ip("203.0.113.5"));
    }
}
