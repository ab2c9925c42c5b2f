package dev.weft.cni.delegate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;
import dev.weft.cni.skel.Log;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execs small shell-script plugins the way libcni would. */
class ExecDelegateTest {
    @TempDir
    Path tmp;

    final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true), false);

    Path plugin(String dir, String name, String body) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path p = d.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    DelegateCall call(String type, Command cmd, String cniPath) {
        return new DelegateCall(type, cmd, "c1", "/var/run/netns/p1", "eth0", "K=V", cniPath,
                new JsonObject().put("cniVersion", "1.0.0").put("name", "n").put("type", type).put("mtu", 1410));
    }

    @Test
    void passesEnvironmentAndStdinAndReadsTheResult() throws Exception {
        Path out = tmp.resolve("seen");
        plugin("bin", "rec", "{ env | grep -E '^(CNI_|KEEP=)' | sort; cat; } > " + out
                + "\necho '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.2/24\"}]}'");
        ExecDelegate d = new ExecDelegate(Map.of("KEEP", "me", "CNI_NETNS", "/stale", "PATH", "/usr/bin:/bin"), log);
        JsonObject r = d.invoke(call("rec", Command.ADD, tmp.resolve("bin").toString()));
        assertThat(r.optArray("ips").size()).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo("""
                CNI_ARGS=K=V
                CNI_COMMAND=ADD
                CNI_CONTAINERID=c1
                CNI_IFNAME=eth0
                CNI_NETNS=/var/run/netns/p1
                CNI_PATH=%s
                KEEP=me
                {"cniVersion":"1.0.0","name":"n","type":"rec","mtu":1410}""".formatted(tmp.resolve("bin")));
    }

    @Test
    void unsetParametersAreRemovedNotInherited() throws Exception {
        Path out = tmp.resolve("seen");
        plugin("bin", "rec", "env | grep -c '^CNI_NETNS=' > " + out + "; cat >/dev/null");
        ExecDelegate d = new ExecDelegate(Map.of("CNI_NETNS", "/from/shim", "PATH", "/usr/bin:/bin"), log);
        assertThat(d.invoke(new DelegateCall("rec", Command.DEL, "c1", null, "eth0", null,
                tmp.resolve("bin").toString(), new JsonObject()))).isNull();
        assertThat(Files.readString(out).strip()).isEqualTo("0");
    }

    @Test
    void findsTheFirstMatchInCniPathOrder() throws Exception {
        plugin("a", "p", "echo '{\"from\":\"a\"}'");
        plugin("b", "p", "echo '{\"from\":\"b\"}'");
        Files.createDirectories(tmp.resolve("c"));
        Files.writeString(tmp.resolve("c/p"), "not executable");
        String path = tmp.resolve("c") + "::" + tmp.resolve("b") + ":" + tmp.resolve("a");
        ExecDelegate d = new ExecDelegate(Map.of("PATH", "/usr/bin:/bin"), log);
        assertThat(d.invoke(call("p", Command.ADD, path)).optString("from")).isEqualTo("b");
    }

    @Test
    void aPluginsCniErrorKeepsItsCode() throws Exception {
        plugin("bin", "bad", "cat >/dev/null\nprintf '{\\n  \"code\": 7,\\n  \"msg\": \"bad mtu\",\\n  \"details\": \"1e9\"\\n}'\nexit 1");
        ExecDelegate d = new ExecDelegate(Map.of("PATH", "/usr/bin:/bin"), log);
        assertThatThrownBy(() -> d.invoke(call("bad", Command.ADD, tmp.resolve("bin").toString())))
                .isInstanceOfSatisfying(CniException.class, e -> {
                    assertThat(e.code()).isEqualTo(7);
                    assertThat(e.msg()).isEqualTo("bad ADD: bad mtu");
                    assertThat(e.details()).isEqualTo("1e9");
                });
    }

    @Test
    void aFailureWithoutACniErrorIsCode101WithWhatItPrinted() throws Exception {
        plugin("bin", "crash", "echo 'panic: nil pointer'; exit 2");
        ExecDelegate d = new ExecDelegate(Map.of("PATH", "/usr/bin:/bin"), log);
        assertThatThrownBy(() -> d.invoke(call("crash", Command.DEL, tmp.resolve("bin").toString())))
                .isInstanceOfSatisfying(CniException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.DELEGATE_FAILED);
                    assertThat(e.msg()).contains("crash DEL exited 2 without a CNI error");
                    assertThat(e.details()).isEqualTo("panic: nil pointer");
                });
        plugin("bin", "garbage", "echo 'ok!'");
        assertThatThrownBy(() -> d.invoke(call("garbage", Command.ADD, tmp.resolve("bin").toString())))
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void missingPluginOrPathLikeTypeIsCode7() {
        ExecDelegate d = new ExecDelegate(Map.of(), log);
        assertThatThrownBy(() -> d.invoke(call("bridge", Command.ADD, tmp.toString())))
                .isInstanceOfSatisfying(CniException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_NETWORK_CONFIG);
                    assertThat(e.msg()).contains("'bridge' was not found in CNI_PATH " + tmp);
                });
        for (String t : new String[] {"../bridge", "/bin/sh", "..", ""}) {
            assertThatThrownBy(() -> ExecDelegate.find(t, "/bin")).hasMessageContaining("is not a plugin name");
        }
    }

    @Test
    void versionQueryListsSupportedVersions() throws Exception {
        plugin("bin", "v", "echo '{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\"]}'");
        plugin("bin", "nov", "echo '{\"cniVersion\":\"1.0.0\"}'");
        ExecDelegate d = new ExecDelegate(Map.of("PATH", "/usr/bin:/bin"), log);
        assertThat(d.supportedVersions("v", tmp.resolve("bin").toString())).containsExactly("0.4.0", "1.0.0");
        assertThatThrownBy(() -> d.supportedVersions("nov", tmp.resolve("bin").toString()))
                .hasMessageContaining("did not list supportedVersions");
    }

    @Test
    void theRealBridgeAnswersVersionWhenInstalled() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
            return; // the kernel tier requires it; here it is only a cross-check of the parser
        }
        assertThat(new ExecDelegate(Map.of(), log).supportedVersions("bridge", "/usr/lib/cni")).contains("1.0.0");
    }
}
