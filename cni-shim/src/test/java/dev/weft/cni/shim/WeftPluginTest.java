package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.weft.cni.delegate.DelegateCall;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.CniVersion;
import dev.weft.cni.types.ErrorCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ADD and DEL through the skeleton against a fake delegate. */
class WeftPluginTest {
    @TempDir
    Path tmp;
    ShimFixture f;

    @BeforeEach
    void setUp() {
        f = new ShimFixture(tmp);
    }

    @Test
    void addSavesTheRenderedDelegateConfigurationBeforeDelegating() throws Exception {
        boolean[] stateExistedAtAdd = {false};
        FakeDelegate.Responder normal = f.delegate.responders.get(Command.ADD);
        f.delegate.responders.put(Command.ADD, call -> {
            stateExistedAtAdd[0] = Files.exists(f.stateFile("c1", "eth0"));
            return normal.respond(call);
        });
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.exit()).as(o.stderr()).isZero();
        assertThat(stateExistedAtAdd[0]).isTrue();
        DelegateCall add = f.delegate.calls.getFirst();
        assertThat(add.type()).isEqualTo("bridge");
        assertThat(add.containerId()).isEqualTo("c1");
        assertThat(add.netns()).isEqualTo("/var/run/netns/p1");
        assertThat(add.ifName()).isEqualTo("eth0");
        assertThat(add.cniPath()).isEqualTo("/opt/cni/bin");
        assertThat(add.conf().toJson()).isEqualTo("{\"cniVersion\":\"1.0.0\",\"name\":\"weftnet\",\"type\":\"bridge\","
                + "\"hairpinMode\":true,\"isDefaultGateway\":true,\"isGateway\":true,\"ipMasq\":false,\"mtu\":1410,"
                + "\"ipam\":{\"dataDir\":\"" + tmp.resolve("ipam") + "\",\"type\":\"host-local\","
                + "\"ranges\":[[{\"subnet\":\"10.42.3.0/24\"}]],\"routes\":[{\"dst\":\"10.42.0.0/16\",\"gw\":\"10.42.3.1\"}]}}");
        JsonObject saved = FakeDelegate.parse(Files.readString(f.stateFile("c1", "eth0")));
        assertThat(saved.optObject("delegate")).isEqualTo(add.conf());
        assertThat(saved.optString("netns")).isEqualTo("/var/run/netns/p1");
        assertThat(o.json().optArray("ips").toJson()).contains("10.42.3.7/24");
        assertThat(o.stderr()).contains("added eth0 10.42.3.7/24");
        assertThat(f.delegate.versionQueries).as("no VERSION round trip up to 1.0.0").isZero();
    }

    @ParameterizedTest
    @EnumSource(CniVersion.class)
    void resultComesBackInTheRequestedVersionsShape(CniVersion v) throws Exception {
        ShimFixture.Out o = f.run("ADD", "c1", f.conf(v.text()));
        assertThat(o.exit()).as(o.stderr()).isZero();
        assertThat(o.json().optString("cniVersion")).isEqualTo(v.text());
        assertThat(o.stdout().contains("\"version\":\"4\"")).isEqualTo(v.ipsCarryVersion());
        String delegateVersion = f.delegate.calls(Command.ADD).getFirst().conf().optString("cniVersion");
        // bridge v1.1.x stops at 1.0.0: a 1.1.0 configuration is negotiated down through VERSION
        assertThat(delegateVersion).isEqualTo(v == CniVersion.V1_1_0 ? "1.0.0" : v.text());
        assertThat(f.delegate.versionQueries).isEqualTo(v == CniVersion.V1_1_0 ? 1 : 0);
    }

    @Test
    void aDelegateThatSpeaks11GetsIt() throws Exception {
        f.delegate.versions = List.of("1.0.0", "1.1.0");
        assertThat(f.run("ADD", "c1", f.conf("1.1.0")).exit()).isZero();
        assertThat(f.delegate.calls(Command.ADD).getFirst().conf().optString("cniVersion")).isEqualTo("1.1.0");
    }

    @Test
    void aDelegateWithNoCommonVersionIsCode1() throws Exception {
        f.delegate.versions = List.of("0.1.0", "0.2.0");
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.1.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.INCOMPATIBLE_VERSION);
        assertThat(f.delegate.calls).isEmpty();
    }

    @Test
    void runtimeConfigPassesThroughWithItsNumbersUntouched() throws Exception {
        String rc = ",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}],"
                + "\"bandwidth\":{\"ingressRate\":1e6}}";
        f.run("ADD", "c1", f.conf("1.0.0", rc));
        assertThat(f.delegate.calls.getFirst().conf().get("runtimeConfig").toJson())
                .isEqualTo("{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}],"
                        + "\"bandwidth\":{\"ingressRate\":1e6}}");
    }

    @Test
    void missingSubnetEnvIsTryAgainLaterAndTouchesNothing() throws Exception {
        Files.delete(f.subnetEnv);
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.TRY_AGAIN_LATER);
        assertThat(o.msg()).contains(f.subnetEnv.toString()).contains("does not exist yet");
        assertThat(f.delegate.calls).isEmpty();
        assertThat(f.stateFile("c1", "eth0")).doesNotExist();
    }

    @Test
    void partialSubnetEnvIsCode7NamingTheMissingKey() throws Exception {
        f.writeSubnetEnv("FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\nFLANNEL_IPMASQ=true\n");
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
        assertThat(o.msg()).contains("FLANNEL_MTU is missing");
        assertThat(f.delegate.calls).isEmpty();
    }

    @Test
    void delegateFailureDuringAddRunsDelegateDelThenReports() throws Exception {
        f.delegate.responders.put(Command.ADD, call -> {
            throw new CniException(ErrorCodes.IO_FAILURE, "bridge ADD: failed to allocate for range 0", "ipam full");
        });
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.exit()).isEqualTo(1);
        assertThat(f.delegate.calls).extracting(DelegateCall::command).containsExactly(Command.ADD, Command.DEL);
        DelegateCall add = f.delegate.calls.get(0);
        DelegateCall del = f.delegate.calls.get(1);
        assertThat(del.conf()).isEqualTo(add.conf());
        assertThat(del.containerId()).isEqualTo("c1");
        assertThat(del.netns()).isEqualTo("/var/run/netns/p1");
        assertThat(o.code()).isEqualTo(ErrorCodes.IO_FAILURE);
        assertThat(o.msg()).isEqualTo("bridge ADD: failed to allocate for range 0");
        assertThat(o.json().optString("details")).isEqualTo("ipam full; rolled back with bridge DEL");
        assertThat(f.stateFile("c1", "eth0")).doesNotExist();
    }

    @Test
    void failedRollbackKeepsTheStateForTheRuntimesDel() throws Exception {
        f.delegate.responders.put(Command.ADD, call -> {
            throw new CniException(ErrorCodes.INTERNAL, "bridge ADD: veth exists");
        });
        f.delegate.responders.put(Command.DEL, call -> {
            throw new CniException(ErrorCodes.IO_FAILURE, "bridge DEL: disk full");
        });
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.INTERNAL);
        assertThat(o.json().optString("details")).contains("rollback with bridge DEL failed too (bridge DEL: disk full)");
        assertThat(f.stateFile("c1", "eth0")).exists();
    }

    @Test
    void aDelegateResultThatIsNotOneIsRolledBack() throws Exception {
        f.delegate.responders.put(Command.ADD, call -> FakeDelegate.parse("{\"ips\":[{\"address\":\"nonsense\"}]}"));
        ShimFixture.Out o = f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.DELEGATE_FAILED);
        assertThat(o.msg()).contains("invalid result");
        assertThat(f.delegate.calls(Command.DEL)).hasSize(1);
        f.delegate.responders.put(Command.ADD, call -> null);
        assertThat(f.run("ADD", "c2", f.conf("1.0.0")).msg()).contains("printed no result");
    }

    @Test
    void invalidConfigurationIsCode7() throws Exception {
        assertThat(f.run("ADD", "c1", "{\"cniVersion\":\"1.0.0\",\"type\":\"weft\"}").msg()).contains("\"name\" is missing");
        assertThat(f.run("ADD", "c1", "{\"cniVersion\":\"1.0.0\",\"name\":\"../x\"}").code()).isEqualTo(7);
        assertThat(f.run("ADD", "c1", f.conf("1.0.0", ",\"delegate\":[]")).msg()).contains("\"delegate\" must be an object");
        assertThat(f.run("ADD", "c1", f.conf("1.0.0", ",\"dataDir\":\"relative/dir\"")).msg()).contains("dataDir");
        assertThat(f.run("ADD", "c1", f.conf("1.0.0", ",\"subnetFile\":\"subnet.env\"")).msg()).contains("subnetFile");
        assertThat(f.run("ADD", "c1", f.conf("1.0.0", ",\"delegate\":{\"type\":\"../bin/sh\"}")).code()).isEqualTo(7);
        assertThat(f.delegate.calls).isEmpty();
    }

    @Test
    void delReplaysTheSavedConfigurationEvenAfterSubnetEnvChanged() throws Exception {
        f.run("ADD", "c1", f.conf("1.0.0"));
        JsonObject added = f.delegate.calls.getFirst().conf();
        f.writeSubnetEnv(ShimFixture.SUBNET_ENV.replace("1410", "1300").replace("10.42.3.1", "10.42.9.1"));
        ShimFixture.Out o = f.run("DEL", "c1", f.conf("1.0.0"));
        assertThat(o.exit()).as(o.stderr()).isZero();
        assertThat(o.stdout()).isEmpty();
        assertThat(f.delegate.calls(Command.DEL).getFirst().conf()).isEqualTo(added);
        assertThat(f.stateFile("c1", "eth0")).doesNotExist();
    }

    @Test
    void delPassesPrevResultInTheDelegatesVersion() throws Exception {
        String prev = ",\"prevResult\":" + FakeDelegate.ADD_RESULT.replace("1.0.0", "1.1.0");
        f.run("ADD", "c1", f.conf("1.1.0"));
        assertThat(f.run("DEL", "c1", f.conf("1.1.0", prev)).exit()).isZero();
        JsonObject del = f.delegate.calls(Command.DEL).getFirst().conf();
        assertThat(del.optString("cniVersion")).isEqualTo("1.0.0");
        assertThat(del.optObject("prevResult").optString("cniVersion")).isEqualTo("1.0.0");
        assertThat(del.optObject("prevResult").toJson()).contains("10.42.3.7/24");
    }

    @Test
    void delTwiceSucceedsAndTheSecondStillReleasesThroughSubnetEnv() throws Exception {
        f.run("ADD", "c1", f.conf("1.0.0"));
        assertThat(f.run("DEL", "c1", f.conf("1.0.0")).exit()).isZero();
        assertThat(f.run("DEL", "c1", f.conf("1.0.0")).exit()).isZero();
        assertThat(f.delegate.calls(Command.DEL)).hasSize(2)
                .allSatisfy(c -> assertThat(c.conf().optObject("ipam").toJson()).contains("10.42.3.0/24"));
    }

    @Test
    void delWithoutStateOrSubnetEnvHasNothingToReleaseAndSucceeds() throws Exception {
        Files.delete(f.subnetEnv);
        ShimFixture.Out o = f.run("DEL", "gone", f.conf("1.0.0"));
        assertThat(o.exit()).isZero();
        assertThat(o.stderr()).contains("nothing to release");
        assertThat(f.delegate.calls).isEmpty();
    }

    @Test
    void delegateDelFailureIsReportedAndTheStateKept() throws Exception {
        f.run("ADD", "c1", f.conf("1.0.0"));
        f.delegate.responders.put(Command.DEL, call -> {
            throw new CniException(ErrorCodes.IO_FAILURE, "bridge DEL: cannot write ipam lock");
        });
        ShimFixture.Out o = f.run("DEL", "c1", f.conf("1.0.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.IO_FAILURE);
        assertThat(f.stateFile("c1", "eth0")).exists();
    }

    @Test
    void corruptStateOrPrevResultDoesNotBlockDel() throws Exception {
        f.run("ADD", "c1", f.conf("1.0.0"));
        Files.writeString(f.stateFile("c1", "eth0"), "{broken");
        ShimFixture.Out o = f.run("DEL", "c1", f.conf("1.0.0", ",\"prevResult\":{\"ips\":\"x\"}"));
        assertThat(o.exit()).as(o.stderr()).isZero();
        assertThat(o.stderr()).contains("ignoring unusable saved state").contains("deleting without it");
        assertThat(f.delegate.calls(Command.DEL).getFirst().conf().has("prevResult")).isFalse();
        assertThat(f.stateFile("c1", "eth0")).doesNotExist();
    }

    @Test
    void stateIsKeptPerNetworkAndInterface() throws Exception {
        f.run("ADD", "c1", f.conf("1.0.0"));
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "ADD",
                "CNI_CONTAINERID", "c1", "CNI_NETNS", "/var/run/netns/p1", "CNI_IFNAME", "net1", "CNI_PATH", "/x"));
        f.run(env, f.conf("1.0.0"));
        f.run("ADD", "c1", f.conf("1.0.0").replace("weftnet", "othernet"));
        assertThat(f.stateFile("c1", "eth0")).exists();
        assertThat(f.stateFile("c1", "net1")).exists();
        assertThat(f.dataDir.resolve("othernet").resolve("c1@eth0")).exists();
    }
}
