package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.weft.cni.delegate.DelegateCall;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STATUS and GC, including when (not) to pass them to a delegate that speaks only up to 1.0.0. */
class StatusAndGcTest {
    @TempDir
    Path tmp;
    ShimFixture f;

    @BeforeEach
    void setUp() {
        f = new ShimFixture(tmp);
    }

    @Test
    void statusIsFineWithSubnetEnvAndDoesNotBotherAnOldDelegate() throws Exception {
        ShimFixture.Out o = f.run("STATUS", "x", f.conf("1.1.0"));
        assertThat(o.exit()).as(o.stdout()).isZero();
        assertThat(o.stdout()).isEmpty();
        assertThat(f.delegate.calls).isEmpty();
        assertThat(o.stderr()).contains("not 1.1.0: STATUS not passed to it");
    }

    @Test
    void statusIsPassedToADelegateThatSpeaks11() throws Exception {
        f.delegate.versions = List.of("1.0.0", "1.1.0");
        f.delegate.responders.put(Command.STATUS, call -> {
            throw new CniException(ErrorCodes.PLUGIN_NOT_AVAILABLE_LIMITED, "bridge: ipam store gone");
        });
        ShimFixture.Out o = f.run("STATUS", "x", f.conf("1.1.0"));
        assertThat(o.code()).isEqualTo(ErrorCodes.PLUGIN_NOT_AVAILABLE_LIMITED);
        DelegateCall call = f.delegate.calls.getFirst();
        assertThat(call.conf().optString("cniVersion")).isEqualTo("1.1.0");
        assertThat(call.containerId()).isNull();
    }

    @Test
    void statusIs50WhenSubnetEnvIsMissingOrUnusable() throws Exception {
        Files.delete(f.subnetEnv);
        ShimFixture.Out missing = f.run("STATUS", "x", f.conf("1.1.0"));
        assertThat(missing.code()).isEqualTo(ErrorCodes.PLUGIN_NOT_AVAILABLE);
        assertThat(missing.msg()).startsWith("weft is not ready: ").contains("does not exist yet");
        f.writeSubnetEnv("FLANNEL_NETWORK=10.42.0.0/16\n");
        assertThat(f.run("STATUS", "x", f.conf("1.1.0")).code()).isEqualTo(ErrorCodes.PLUGIN_NOT_AVAILABLE);
        Files.delete(f.subnetEnv);
        Files.createDirectory(f.subnetEnv); // unreadable as a file
        ShimFixture.Out unreadable = f.run("STATUS", "x", f.conf("1.1.0"));
        assertThat(unreadable.code()).isEqualTo(ErrorCodes.PLUGIN_NOT_AVAILABLE);
        assertThat(unreadable.msg()).contains("cannot read");
    }

    @Test
    void gcReleasesExactlyTheAttachmentsNotListed() throws Exception {
        for (String id : new String[] {"keep1", "stale1", "stale2"}) {
            assertThat(f.run("ADD", id, f.conf("1.1.0")).exit()).isZero();
        }
        f.delegate.calls.clear();
        String valid = ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep1\",\"ifname\":\"eth0\"},"
                + "{\"containerID\":\"unknown\",\"ifname\":\"eth0\"}]";
        ShimFixture.Out o = f.run("GC", "x", f.conf("1.1.0", valid));
        assertThat(o.exit()).as(o.stdout() + o.stderr()).isZero();
        List<DelegateCall> dels = f.delegate.calls(Command.DEL);
        assertThat(dels).extracting(DelegateCall::containerId).containsExactlyInAnyOrder("stale1", "stale2");
        assertThat(dels).allSatisfy(d -> {
            assertThat(d.ifName()).isEqualTo("eth0");
            assertThat(d.netns()).isNull();
            assertThat(d.conf().optString("cniVersion")).isEqualTo("1.0.0");
        });
        assertThat(f.stateFile("keep1", "eth0")).exists();
        assertThat(f.stateFile("stale1", "eth0")).doesNotExist();
        assertThat(f.stateFile("stale2", "eth0")).doesNotExist();
        assertThat(f.delegate.calls(Command.GC)).isEmpty();
        assertThat(o.stderr()).contains("not 1.1.0: GC not passed to it");
    }

    @Test
    void gcIsPassedWithTheValidListToADelegateThatSpeaks11() throws Exception {
        f.delegate.versions = List.of("1.1.0");
        String valid = ",\"cni.dev/valid-attachments\":[{\"containerID\":\"a\",\"ifname\":\"eth0\"}]";
        assertThat(f.run("GC", "x", f.conf("1.1.0", valid)).exit()).isZero();
        JsonObject gc = f.delegate.calls(Command.GC).getFirst().conf();
        assertThat(gc.optArray("cni.dev/valid-attachments").toJson()).isEqualTo("[{\"containerID\":\"a\",\"ifname\":\"eth0\"}]");
        assertThat(gc.optString("type")).isEqualTo("bridge");
    }

    @Test
    void gcAcceptsTheLegacyKeyAndRefusesToRunWithoutAList() throws Exception {
        f.run("ADD", "c1", f.conf("1.1.0"));
        ShimFixture.Out none = f.run("GC", "x", f.conf("1.1.0"));
        assertThat(none.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
        assertThat(f.stateFile("c1", "eth0")).exists();
        String legacy = ",\"cni.dev/attachments\":[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]";
        assertThat(f.run("GC", "x", f.conf("1.1.0", legacy)).exit()).isZero();
        assertThat(f.stateFile("c1", "eth0")).exists();
    }

    @Test
    void gcRejectsMalformedListsAndIgnoresNamesWeftNeverStored() throws Exception {
        assertThat(f.run("GC", "x", f.conf("1.1.0", ",\"cni.dev/valid-attachments\":[1]")).code()).isEqualTo(7);
        assertThat(f.run("GC", "x", f.conf("1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"a\"}]")).code())
                .isEqualTo(7);
        ShimFixture.Out o = f.run("GC", "x",
                f.conf("1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"../x\",\"ifname\":\"eth0\"}]"));
        assertThat(o.exit()).isZero();
        assertThat(o.stderr()).contains("ignoring valid-attachments entry");
    }

    @Test
    void gcKeepsGoingPastAFailureAndReportsIt() throws Exception {
        f.run("ADD", "bad", f.conf("1.1.0"));
        f.run("ADD", "good", f.conf("1.1.0"));
        f.delegate.responders.put(Command.DEL, call -> {
            if (call.containerId().equals("bad")) {
                throw new CniException(ErrorCodes.IO_FAILURE, "bridge DEL: ipam lock");
            }
            return null;
        });
        ShimFixture.Out o = f.run("GC", "x", f.conf("1.1.0", ",\"cni.dev/valid-attachments\":[]"));
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.msg()).contains("could not release 1 stale attachment");
        assertThat(o.json().optString("details")).contains("bad@eth0: bridge DEL: ipam lock");
        assertThat(f.stateFile("good", "eth0")).doesNotExist();
        assertThat(f.stateFile("bad", "eth0")).exists();
    }

    @Test
    void gcRemovesUnusableStateWithoutReplayingIt() throws Exception {
        Files.createDirectories(f.stateFile("junk", "eth0").getParent());
        Files.writeString(f.stateFile("junk", "eth0"), "not json");
        ShimFixture.Out o = f.run("GC", "x", f.conf("1.1.0", ",\"cni.dev/valid-attachments\":[]"));
        assertThat(o.exit()).isZero();
        assertThat(f.stateFile("junk", "eth0")).doesNotExist();
        assertThat(f.delegate.calls(Command.DEL)).isEmpty();
    }
}
