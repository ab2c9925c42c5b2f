package dev.weft.cni.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.testing.Bundle;
import dev.weft.cni.testing.ShimRig;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import dev.weft.testing.NetnsFactory;
import dev.weft.testing.TestNetns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed weft launcher with the real bridge and host-local (v1.1.x), run like a runtime
 * runs it inside a namespace that plays the node.
 */
@KernelTest
class ShimKernelIT {
    @TempDir
    static Path installDir;
    static Bundle.Installed installed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void install() {
        installed = Bundle.install(installDir);
    }

    ShimRig rig(TestNetns host) {
        return new ShimRig(host, installed, tmp);
    }

    @Test
    void addGivesEth0AnAddressInTheSubnetTheDefaultRouteAndTheMtu(TestNetns host, TestNetns pod) {
        ShimRig rig = rig(host);
        Cmd.Result add = rig.weft("ADD", "pod1", pod.path(), "eth0", rig.conf("1.0.0", ""));
        assertThat(add.exitCode()).as(add.stdout() + add.stderr()).isZero();
        JsonObject result = ShimRig.json(add.stdout());
        assertThat(result.optString("cniVersion")).isEqualTo("1.0.0");
        String ip = ShimRig.address(add);
        assertThat(ip).startsWith("10.42.3.").isNotEqualTo("10.42.3.1");
        assertThat(pod.ip("-4", "-o", "addr", "show", "dev", "eth0")).contains("inet " + ip + "/24");
        assertThat(pod.ip("route", "show", "default")).contains("default via 10.42.3.1 dev eth0");
        assertThat(pod.ip("route", "show", "10.42.0.0/16")).contains("via 10.42.3.1 dev eth0");
        assertThat(pod.ip("-o", "link", "show", "eth0")).contains("mtu " + ShimRig.MTU).contains("state UP");
        assertThat(host.ip("-4", "-o", "addr", "show", "dev", "cni0")).contains("inet 10.42.3.1/24");
        assertThat(rig.stateFile("pod1")).exists();
        assertThat(rig.reservation(ip)).exists();
        assertThat(rig.weft("DEL", "pod1", pod.path(), "eth0", rig.conf("1.0.0", "")).exitCode()).isZero();
    }

    /**
     * A dual-stack node as flanneld (or weft) writes it: each pod gets one address per family from host-local's two
     * range sets, a route to each cluster network and a default route per family (bridge's isDefaultGateway adds one
     * for every family it has a gateway for), and bridge waits out IPv6 duplicate address detection before it returns,
     * so the pod's IPv6 address is usable, not tentative, when ADD succeeds.
     */
    @Test
    void dualStackPodsGetBothFamiliesReachEachOtherOverIpv6AndDelRemovesEverything(TestNetns host, TestNetns pod1,
            TestNetns pod2) {
        ShimRig rig = rig(host);
        rig.dualStack();
        String conf = rig.conf("1.0.0", "");
        Cmd.Result add1 = rig.weft("ADD", "pod1", pod1.path(), "eth0", conf);
        assertThat(add1.exitCode()).as(add1.stdout() + add1.stderr()).isZero();
        Cmd.Result add2 = rig.weft("ADD", "pod2", pod2.path(), "eth0", conf);
        assertThat(add2.exitCode()).as(add2.stdout() + add2.stderr()).isZero();
        List<String> ips1 = ShimRig.addresses(add1);
        List<String> ips2 = ShimRig.addresses(add2);
        assertThat(ips1).hasSize(2);
        assertThat(ips1.get(0)).startsWith("10.42.3.").endsWith("/24");
        assertThat(ips1.get(1)).startsWith("fd00:42:0:3::").endsWith("/64").isNotEqualTo("fd00:42:0:3::1/64");
        assertThat(ips2).hasSize(2).doesNotContainAnyElementsOf(ips1);

        String v6 = pod1.ip("-6", "-o", "addr", "show", "dev", "eth0", "scope", "global");
        assertThat(v6).contains("inet6 " + ips1.get(1)).doesNotContain("tentative").doesNotContain("dadfailed");
        assertThat(pod1.ip("-4", "-o", "addr", "show", "dev", "eth0")).contains("inet " + ips1.get(0));
        assertThat(pod1.ip("-4", "route", "show", "default")).contains("default via 10.42.3.1 dev eth0");
        assertThat(pod1.ip("-4", "route", "show", ShimRig.NETWORK)).contains("via 10.42.3.1 dev eth0");
        assertThat(pod1.ip("-6", "route", "show", "default")).contains("default via fd00:42:0:3::1 dev eth0");
        assertThat(pod1.ip("-6", "route", "show", ShimRig.NETWORK6)).contains("via fd00:42:0:3::1 dev eth0");
        assertThat(host.ip("-6", "-o", "addr", "show", "dev", "cni0")).contains("inet6 fd00:42:0:3::1/64");

        String peer6 = ips2.get(1).substring(0, ips2.get(1).indexOf('/'));
        Cmd.Result ping = pod1.execResult(Duration.ofSeconds(20), "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", peer6);
        assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
        // The bridge's own address may still be in duplicate address detection (about a second after
        // the first ADD put it there): asked again until it answers, at most 10 times.
        String gw = "";
        for (int i = 0; i < 10 && !gw.contains("1 received"); i++) {
            gw = pod2.execResult(Duration.ofSeconds(20), "ping", "-6", "-c", "1", "-W", "1", "fd00:42:0:3::1").stdout();
        }
        assertThat(gw).contains("1 received");

        String withPrev = rig.conf("1.0.0", ",\"prevResult\":" + add1.stdout().strip());
        Cmd.Result check = rig.weft("CHECK", "pod1", pod1.path(), "eth0", withPrev);
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();

        for (int i = 1; i <= 2; i++) {
            TestNetns pod = i == 1 ? pod1 : pod2;
            Cmd.Result del = rig.weft("DEL", "pod" + i, pod.path(), "eth0", conf);
            assertThat(del.exitCode()).as(del.stdout() + del.stderr()).isZero();
            assertThat(pod.ipResult("link", "show", "eth0").ok()).isFalse();
            assertThat(rig.stateFile("pod" + i)).doesNotExist();
            for (String cidr : i == 1 ? ips1 : ips2) {
                assertThat(rig.reservation(cidr.substring(0, cidr.indexOf('/')))).doesNotExist();
            }
        }
        assertThat(host.ip("-o", "link", "show", "type", "veth")).isBlank();
    }

    /** An IPv6-only node (the IPv6-only cluster): no FLANNEL_NETWORK/FLANNEL_SUBNET, the pod gets IPv6 only. */
    @Test
    void ipv6OnlyPodGetsOnlyAnIpv6AddressAndRoutes(TestNetns host, TestNetns pod) {
        ShimRig rig = rig(host);
        rig.ipv6Only();
        Cmd.Result add = rig.weft("ADD", "pod1", pod.path(), "eth0", rig.conf("0.4.0", ""));
        assertThat(add.exitCode()).as(add.stdout() + add.stderr()).isZero();
        assertThat(add.stdout()).contains("\"version\":\"6\"").doesNotContain("\"version\":\"4\"");
        List<String> ips = ShimRig.addresses(add);
        assertThat(ips).singleElement().asString().startsWith("fd00:42:0:3::");
        assertThat(pod.ip("-4", "-o", "addr", "show", "dev", "eth0")).isBlank();
        assertThat(pod.ip("-6", "-o", "addr", "show", "dev", "eth0", "scope", "global")).contains("inet6 " + ips.getFirst())
                .doesNotContain("tentative");
        assertThat(pod.ip("-6", "route", "show", "default")).contains("default via fd00:42:0:3::1 dev eth0");
        assertThat(pod.ip("-6", "route", "show", ShimRig.NETWORK6)).contains("via fd00:42:0:3::1 dev eth0");
        Cmd.Result del = rig.weft("DEL", "pod1", pod.path(), "eth0", rig.conf("0.4.0", ""));
        assertThat(del.exitCode()).as(del.stdout() + del.stderr()).isZero();
        assertThat(rig.reservation(ips.getFirst().substring(0, ips.getFirst().indexOf('/')))).doesNotExist();
        assertThat(host.ip("-o", "link", "show", "type", "veth")).isBlank();
    }

    @Test
    void checkPassesThenFailsOnceThePodsEth0IsDeleted(TestNetns host, TestNetns pod) {
        ShimRig rig = rig(host);
        Cmd.Result add = rig.weft("ADD", "pod1", pod.path(), "eth0", rig.conf("1.0.0", ""));
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        String withPrev = rig.conf("1.0.0", ",\"prevResult\":" + add.stdout().strip());
        Cmd.Result ok = rig.weft("CHECK", "pod1", pod.path(), "eth0", withPrev);
        assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();
        assertThat(ok.stdout()).isEmpty();

        pod.ip("link", "del", "eth0");
        Cmd.Result broken = rig.weft("CHECK", "pod1", pod.path(), "eth0", withPrev);
        assertThat(broken.exitCode()).isEqualTo(1);
        JsonObject err = ShimRig.json(broken.stdout());
        // bridge's CHECK validates the container interface against prevResult and catches it
        assertThat(err.optString("msg")).startsWith("bridge CHECK: ").contains("eth0");
        assertThat(rig.weft("DEL", "pod1", pod.path(), "eth0", withPrev).exitCode()).isZero();
    }

    @Test
    void delTwiceSucceedsAndReleasesEverything(TestNetns host, TestNetns pod) {
        ShimRig rig = rig(host);
        Cmd.Result add = rig.weft("ADD", "pod1", pod.path(), "eth0", rig.conf("0.4.0", ""));
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(add.stdout()).contains("\"version\":\"4\"");
        String ip = ShimRig.address(add);
        String withPrev = rig.conf("0.4.0", ",\"prevResult\":" + add.stdout().strip());
        Cmd.Result del1 = rig.weft("DEL", "pod1", pod.path(), "eth0", withPrev);
        assertThat(del1.exitCode()).as(del1.stdout() + del1.stderr()).isZero();
        Cmd.Result del2 = rig.weft("DEL", "pod1", pod.path(), "eth0", withPrev);
        assertThat(del2.exitCode()).as(del2.stdout() + del2.stderr()).isZero();
        assertThat(rig.stateFile("pod1")).doesNotExist();
        assertThat(rig.reservation(ip)).doesNotExist();
        assertThat(pod.ipResult("link", "show", "eth0").ok()).isFalse();
        assertThat(host.ip("-o", "link", "show", "type", "veth")).isBlank();
    }

    @Test
    void delAfterTheNamespaceIsGoneSucceeds(TestNetns host, NetnsFactory netns) {
        ShimRig rig = rig(host);
        TestNetns pod = netns.create("pod");
        Path podPath = pod.path();
        Cmd.Result add = rig.weft("ADD", "pod1", podPath, "eth0", rig.conf("1.0.0", ""));
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        String ip = ShimRig.address(add);
        pod.close();
        assertThat(podPath).doesNotExist();
        Cmd.Result del = rig.weft("DEL", "pod1", podPath, "eth0", rig.conf("1.0.0", ",\"prevResult\":" + add.stdout().strip()));
        assertThat(del.exitCode()).as(del.stdout() + del.stderr()).isZero();
        assertThat(rig.reservation(ip)).doesNotExist();
        assertThat(rig.stateFile("pod1")).doesNotExist();
    }

    @Test
    void fiftyParallelAddsAllSucceedWithDistinctAddresses(TestNetns host, NetnsFactory netns) throws Exception {
        ShimRig rig = rig(host);
        int n = 50;
        List<TestNetns> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(netns.create("p" + i));
        }
        String conf = rig.conf("1.0.0", "");
        List<Cmd.Result> adds = inParallel(n, i -> rig.weft("ADD", "pod" + i, pods.get(i).path(), "eth0", conf));
        Set<String> addresses = new HashSet<>();
        for (Cmd.Result r : adds) {
            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
            addresses.add(ShimRig.address(r));
        }
        assertThat(addresses).hasSize(n).allSatisfy(a -> assertThat(a).startsWith("10.42.3."));
        List<Cmd.Result> dels = inParallel(n, i -> rig.weft("DEL", "pod" + i, pods.get(i).path(), "eth0", conf));
        assertThat(dels).allSatisfy(r -> assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero());
        try (var left = Files.list(rig.dataDir.resolve("weftnet"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".lock");
        }
    }

    @Test
    void gcReleasesExactlyTheAttachmentsTheRuntimeNoLongerLists(TestNetns host, NetnsFactory netns) {
        ShimRig rig = rig(host);
        String conf = rig.conf("1.1.0", "");
        List<String> ips = new ArrayList<>();
        List<TestNetns> pods = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            pods.add(netns.create("p" + i));
            Cmd.Result add = rig.weft("ADD", "pod" + i, pods.getLast().path(), "eth0", conf);
            assertThat(add.exitCode()).as(add.stdout() + add.stderr()).isZero();
            assertThat(ShimRig.json(add.stdout()).optString("cniVersion")).isEqualTo("1.1.0");
            ips.add(ShimRig.address(add));
        }
        String gcConf = rig.conf("1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"pod1\",\"ifname\":\"eth0\"}]");
        Cmd.Result gc = rig.weft(dev.weft.cni.testing.CniExec.env("GC", null, null, null, rig.cniPath), gcConf);
        assertThat(gc.exitCode()).as(gc.stdout() + gc.stderr()).isZero();
        assertThat(gc.stderr()).contains("GC not passed to it");
        assertThat(rig.stateFile("pod1")).exists();
        assertThat(rig.reservation(ips.get(0))).exists();
        for (int i = 1; i < 3; i++) {
            assertThat(rig.stateFile("pod" + (i + 1))).doesNotExist();
            assertThat(rig.reservation(ips.get(i))).doesNotExist();
        }
        assertThat(rig.weft("DEL", "pod1", pods.getFirst().path(), "eth0", conf).exitCode()).isZero();
    }

    interface Task {
        Cmd.Result run(int i);
    }

    static List<Cmd.Result> inParallel(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Cmd.Result>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> task.run(k)));
            }
            List<Cmd.Result> out = new ArrayList<>();
            for (Future<Cmd.Result> f : futures) {
                out.add(f.get(180, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
