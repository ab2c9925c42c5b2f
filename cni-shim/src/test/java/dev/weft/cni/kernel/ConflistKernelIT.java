package dev.weft.cni.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.testing.Bundle;
import dev.weft.cni.testing.ConfList;
import dev.weft.cni.testing.HttpOnce;
import dev.weft.cni.testing.ShimRig;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft in the middle of a conflist, as kubelet's runtimes use it: loopback, weft, portmap. */
@KernelTest
class ConflistKernelIT {
    @TempDir
    static Path installDir;
    static Bundle.Installed installed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void install() {
        installed = Bundle.install(installDir);
    }

    @Test
    void loopbackThenWeftThenPortmapServesAHostPort(TestNetns host, TestNetns pod) throws Exception {
        ShimRig rig = new ShimRig(host, installed, tmp);
        ConfList list = new ConfList("{\"cniVersion\":\"1.0.0\",\"name\":\"weftnet\",\"plugins\":["
                + "{\"type\":\"loopback\"},"
                + "{\"type\":\"weft\"," + rig.members() + "},"
                + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"snat\":true}]}");
        JsonObject rt = ShimRig.json("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}");
        String result = list.add(host.name(), rig.cniPath, "pod1", pod.path(), "eth0", rt);
        String podIp = ShimRig.address(new Cmd.Result(List.of(), 0, result, ""));
        assertThat(podIp).startsWith("10.42.3.");
        assertThat(pod.ip("-o", "link", "show", "lo")).contains("UP");
        assertThat(host.exec("iptables-save", "-t", "nat")).contains("--dport 8080")
                .contains("--to-destination " + podIp + ":80");

        pod.start(new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), HttpOnce.class.getName(), "80"));
        waitForListener(pod, 80);
        Cmd.Result curl = host.execResult(Duration.ofSeconds(15), "curl", "-s", "--max-time", "5",
                "http://10.42.3.1:8080/");
        assertThat(curl.stdout()).as(curl.stderr()).isEqualTo("weft\n");

        // portmap v1.1.x's CHECK looks for ip6tables rules it never made for an IPv4-only pod
        // (containernetworking/plugins#819), so the chain is checked up to weft
        list.check(host.name(), rig.cniPath, "pod1", pod.path(), "eth0", rt, result, Set.of("portmap"));
        list.del(host.name(), rig.cniPath, "pod1", pod.path(), "eth0", rt, result);
        assertThat(host.exec("iptables-save", "-t", "nat")).doesNotContain("--dport 8080");
        assertThat(rig.stateFile("pod1")).doesNotExist();
        assertThat(rig.reservation(podIp)).doesNotExist();
    }

    private static void waitForListener(TestNetns ns, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (ns.execResult(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("nothing listens on port " + port + " in " + ns);
    }
}
