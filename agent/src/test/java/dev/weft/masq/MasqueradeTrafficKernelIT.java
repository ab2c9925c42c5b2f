package dev.weft.masq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.weft.testing.KernelTest;
import dev.weft.testing.NetnsFactory;
import dev.weft.testing.TestNetns;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Traffic through a router namespace that carries weft's rules, all inside test namespaces:
 * <pre>
 *  pod1 10.42.1.2 ─┐                 ┌─ 198.18.0.2 outside (no route back to 10.42/16)
 *                  ├─ router ────────┘
 *  pod2 10.42.2.2 ─┘  10.42.1.1, 10.42.2.1, 198.18.0.1; rules for Network 10.42.0.0/16
 * </pre>
 * Receivers count ICMP per source address with counting rules in their own namespace.
 */
@KernelTest
class MasqueradeTrafficKernelIT {
    static final MasqSpec SPEC = MasqSpec.of("10.42.0.0/16");

    @ParameterizedTest
    @EnumSource(Backend.class)
    void masqueradesPodToOutsideOnlyAndForwardsUnderDropPolicy(Backend backend, NetnsFactory netns) throws Exception {
        TestNetns router = netns.create("router");
        TestNetns pod1 = netns.create("pod1");
        TestNetns pod2 = netns.create("pod2");
        TestNetns outside = netns.create("outside");
        link(router, "r1", "10.42.1.1/24", pod1, "10.42.1.2/24");
        link(router, "r2", "10.42.2.1/24", pod2, "10.42.2.2/24");
        link(router, "ro", "198.18.0.1/24", outside, "198.18.0.2/24");
        pod1.ip("route", "add", "default", "via", "10.42.1.1");
        pod2.ip("route", "add", "default", "via", "10.42.2.1");
        router.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        for (TestNetns ns : new TestNetns[] {pod1, pod2, outside}) {
            count(ns, "10.42.1.2");
            count(ns, "198.18.0.1");
            count(ns, "198.18.0.2");
            count(ns, "10.42.2.1");
            count(ns, "10.42.1.1");
        }

        assertThat(ping(pod1, "198.18.0.2")).as("outside has no route back, so no reply without masquerade").isFalse();
        Masquerade m = Masquerade.using(backend, ProcessExec.inNetns(router.name()));
        m.ensure(SPEC);
        assertThat(ping(pod1, "198.18.0.2")).as("pod to outside with masquerade").isTrue();
        assertThat(counted(outside, "198.18.0.1")).isPositive();

        assertThat(ping(pod1, "10.42.2.2")).as("pod to pod").isTrue();
        assertThat(counted(pod2, "10.42.1.2")).as("pod2 sees pod1's own address").isPositive();
        assertThat(counted(pod2, "10.42.2.1")).as("no NAT to the router's address").isZero();
        assertThat(counted(pod2, "198.18.0.1")).isZero();

        outside.ip("route", "add", "10.42.0.0/16", "via", "198.18.0.1");
        assertThat(ping(outside, "10.42.1.2")).as("outside to pod").isTrue();
        assertThat(counted(pod1, "198.18.0.2")).as("pod sees the real client address").isPositive();
        assertThat(counted(pod1, "10.42.1.1")).isZero();

        if (backend != Backend.NFTABLES) {
            // In nftables a drop in another table's forward chain cannot be overruled, so this
            // part only holds for the iptables backends (documented in NftRules).
            String tool = backend == Backend.IPTABLES_NFT ? "iptables-nft" : "iptables-legacy";
            router.exec(tool, "-P", "FORWARD", "DROP");
            assertThat(ping(pod1, "10.42.2.2")).as("WEFT-FWD accepts pod traffic under DROP").isTrue();
            m.remove();
            assertThat(ping(pod1, "10.42.2.2")).as("without weft's rules DROP wins").isFalse();
        }
    }

    /** A veth pair: {@code name} in {@code a}, its peer (same name) moved into {@code b}, both up and addressed. */
    private static void link(TestNetns a, String name, String addrA, TestNetns b, String addrB) {
        String peer = name + "p";
        a.ip("link", "add", name, "type", "veth", "peer", "name", peer, "netns", b.name());
        a.ip("addr", "add", addrA, "dev", name);
        a.ip("link", "set", name, "up");
        b.ip("addr", "add", addrB, "dev", peer);
        b.ip("link", "set", peer, "up");
    }

    private static boolean ping(TestNetns from, String to) {
        return from.execResult(Duration.ofSeconds(10), "ping", "-n", "-q", "-c", "2", "-i", "0.2", "-W", "1", to).ok();
    }

    /** Adds a rule counting ICMP from {@code src} arriving in {@code ns}. */
    private static void count(TestNetns ns, String src) {
        ns.exec("iptables-nft", "-A", "INPUT", "-s", src, "-p", "icmp", "-m", "comment", "--comment", "count-" + src, "-j", "ACCEPT");
    }

    private static long counted(TestNetns ns, String src) {
        String save = ns.exec("iptables-nft-save", "-c", "-t", "filter");
        Matcher m = Pattern.compile("^\\[(\\d+):\\d+] .*--comment \"?count-" + Pattern.quote(src) + "\"? ", Pattern.MULTILINE).matcher(save);
        assertThat(m.find()).as("counting rule for %s in %s", src, ns).isTrue();
        return Long.parseLong(m.group(1));
    }

}
