package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.net.IpPrefix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CHECK really checks: prevResult, saved state, subnet, delegate CHECK, the pod interface through the probe. */
class CheckCommandTest {
    @TempDir
    Path tmp;
    ShimFixture f;
    String prev;

    @BeforeEach
    void setUp() throws Exception {
        f = new ShimFixture(tmp);
        ShimFixture.Out add = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(add.exit()).isZero();
        prev = ",\"prevResult\":" + add.stdout().strip();
        f.delegate.calls.clear();
    }

    @Test
    void passesWhenDelegateAndProbeAgree() throws Exception {
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(o.exit()).as(o.stdout() + o.stderr()).isZero();
        assertThat(o.stdout()).isEmpty();
        JsonObject check = f.delegate.calls(Command.CHECK).getFirst().conf();
        assertThat(check.optObject("prevResult").toJson()).contains("10.42.3.7/24");
        assertThat(check.optInt("mtu")).isEqualTo(1410);
        assertThat(f.probe.askedNetns).isEqualTo(Path.of("/var/run/netns/p1"));
        assertThat(f.probe.askedIf).isEqualTo("eth0");
        assertThat(f.probe.askedAddresses).containsExactly(IpPrefix.parse("10.42.3.7/24"));
    }

    @Test
    void failsWhenTheProbeFindsAProblem() throws Exception {
        f.probe.problem = "eth0 is missing in /var/run/netns/p1";
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.code()).isEqualTo(ErrorCodes.CHECK_FAILED);
        assertThat(o.msg()).isEqualTo("CHECK failed: eth0 is missing in /var/run/netns/p1");
    }

    @Test
    void failsWithTheDelegatesErrorWhenItsCheckFails() throws Exception {
        f.delegate.responders.put(Command.CHECK, call -> {
            throw new CniException(ErrorCodes.INTERNAL, "bridge CHECK: failed to find eth0");
        });
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(o.code()).isEqualTo(ErrorCodes.INTERNAL);
        assertThat(o.msg()).contains("failed to find eth0");
        assertThat(f.probe.askedIf).as("the probe is not reached").isNull();
    }

    @Test
    void needsPrevResult() throws Exception {
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
        assertThat(o.msg()).contains("prevResult");
        assertThat(f.run("CHECK", "c1", f.conf("1.0.0", ",\"prevResult\":{\"ips\":[{\"address\":1}]}")).code())
                .isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
    }

    @Test
    void failsWhenPrevResultHasNoAddressOnTheInterface() throws Exception {
        String noAddr = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}]}";
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", noAddr));
        assertThat(o.code()).isEqualTo(ErrorCodes.CHECK_FAILED);
        assertThat(o.msg()).contains("no address on the container interface eth0");
    }

    @Test
    void failsWithoutSavedState() throws Exception {
        Files.delete(f.stateFile("c1", "eth0"));
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(o.code()).isEqualTo(ErrorCodes.CHECK_FAILED);
        assertThat(o.msg()).contains("no saved state for c1@eth0");
        assertThat(f.delegate.calls).isEmpty();
    }

    @Test
    void failsWhenTheNodesSubnetMovedSinceAdd() throws Exception {
        f.writeSubnetEnv(ShimFixture.SUBNET_ENV.replace("10.42.3.1/24", "10.42.9.1/24"));
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(o.code()).isEqualTo(ErrorCodes.CHECK_FAILED);
        assertThat(o.msg()).contains("10.42.3.7/24 is outside this node's subnet 10.42.9.0/24");
    }

    @Test
    void missingSubnetEnvIsTryAgainLater() throws Exception {
        Files.delete(f.subnetEnv);
        assertThat(f.run("CHECK", "c1", f.conf("1.0.0", prev)).code()).isEqualTo(ErrorCodes.TRY_AGAIN_LATER);
    }

    @Test
    void withoutAProbeItSaysOnlyTheDelegateChecked() throws Exception {
        f.probeInUse = PodInterfaceProbe.unavailable();
        ShimFixture.Out o = f.run("CHECK", "c1", f.conf("1.0.0", prev));
        assertThat(o.exit()).isZero();
        assertThat(f.delegate.calls(Command.CHECK)).hasSize(1);
        assertThat(o.stderr()).contains("pod interface probe not available");
    }
}
