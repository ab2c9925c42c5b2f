package dev.weft.cni.skel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;
import dev.weft.cni.types.Result;
import dev.weft.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The protocol skeleton with a recording plugin: environment table, stdin, versions, output, errors. */
class SkelTest {
    static final String CONF = "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"weft\"}";

    final List<CmdArgs> calls = new ArrayList<>();
    CniException failWith;
    RuntimeException crashWith;

    final Plugin plugin = new Plugin() {
        @Override
        public Result add(CmdArgs a) throws CniException {
            record(a);
            return new Result(List.of(new Result.Iface("eth0", null, "/ns", null, null, null)),
                    List.of(new Result.IpConfig(IpPrefix.parse("10.42.3.7/24"), "10.42.3.1", 0)), List.of(), null);
        }

        @Override
        public void del(CmdArgs a) throws CniException {
            record(a);
        }

        @Override
        public void check(CmdArgs a) throws CniException {
            record(a);
        }

        @Override
        public void status(CmdArgs a) throws CniException {
            record(a);
        }

        @Override
        public void gc(CmdArgs a) throws CniException {
            record(a);
        }

        private void record(CmdArgs a) throws CniException {
            calls.add(a);
            if (failWith != null) {
                throw failWith;
            }
            if (crashWith != null) {
                throw crashWith;
            }
        }
    };

    record Out(int exit, String stdout, String stderr) {
        JsonObject json() throws Exception {
            return (JsonObject) JsonReader.parse(stdout);
        }

        int code() throws Exception {
            return json().optInt("code");
        }
    }

    static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c1");
        env.put("CNI_NETNS", "/var/run/netns/p1");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    Out run(Map<String, String> env, String stdin) {
        return run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    Out run(Map<String, String> env, InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Skel.run(env, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), plugin);
        return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(value = Command.class, names = {"ADD", "DEL", "CHECK", "STATUS", "GC"})
    void dispatchesEveryCommandWithItsParameters(Command cmd) {
        Map<String, String> env = env(cmd.name());
        env.put("CNI_ARGS", "K8S_POD_NAME=p");
        Out o = run(env, CONF);
        assertThat(o.exit()).isZero();
        assertThat(calls).singleElement().satisfies(a -> {
            assertThat(a.command()).isEqualTo(cmd);
            assertThat(a.containerId()).isEqualTo("c1");
            assertThat(a.netns()).isEqualTo("/var/run/netns/p1");
            assertThat(a.ifName()).isEqualTo("eth0");
            assertThat(a.cniArgs()).isEqualTo("K8S_POD_NAME=p");
            assertThat(a.cniPath()).isEqualTo("/opt/cni/bin");
            assertThat(a.conf().optString("name")).isEqualTo("n");
        });
        if (cmd == Command.ADD) {
            assertThat(o.stdout()).isEqualTo("{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":\"eth0\","
                    + "\"sandbox\":\"/ns\"}],\"ips\":[{\"interface\":0,\"address\":\"10.42.3.7/24\","
                    + "\"gateway\":\"10.42.3.1\"}],\"dns\":{}}\n");
        } else {
            assertThat(o.stdout()).isEmpty();
        }
    }

    @Test
    void addResultIsWrittenInTheConfigurationsVersion() throws Exception {
        Out o = run(env("ADD"), "{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}");
        assertThat(o.json().optString("cniVersion")).isEqualTo("0.3.1");
        assertThat(o.stdout()).contains("\"version\":\"4\"");
    }

    @ParameterizedTest
    @CsvSource({
        "ADD, CNI_CONTAINERID", "ADD, CNI_NETNS", "ADD, CNI_IFNAME", "ADD, CNI_PATH",
        "DEL, CNI_CONTAINERID", "DEL, CNI_IFNAME", "DEL, CNI_PATH",
        "CHECK, CNI_CONTAINERID", "CHECK, CNI_NETNS", "CHECK, CNI_IFNAME", "CHECK, CNI_PATH",
        "STATUS, CNI_PATH", "GC, CNI_PATH"
    })
    void missingRequiredVariableIsCode4NamingIt(String cmd, String var) throws Exception {
        Map<String, String> env = env(cmd);
        env.remove(var);
        Out o = run(env, CONF);
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_ENVIRONMENT);
        assertThat(o.json().optString("msg")).contains(var).contains(cmd);
        assertThat(o.stderr()).contains(var);
        assertThat(calls).isEmpty();
    }

    @Test
    void emptyCountsAsMissingAndAllMissingAreNamed() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS", "");
        env.remove("CNI_IFNAME");
        Out o = run(env, CONF);
        assertThat(o.json().optString("msg")).isEqualTo("CNI_NETNS, CNI_IFNAME are required for ADD but not set");
    }

    @Test
    void delNeedsNoNetnsAndGcNeedsNoContainer() {
        Map<String, String> del = env("DEL");
        del.remove("CNI_NETNS");
        assertThat(run(del, CONF).exit()).isZero();
        assertThat(calls.get(0).netns()).isNull();
        Map<String, String> gc = env("GC");
        gc.remove("CNI_CONTAINERID");
        gc.remove("CNI_IFNAME");
        gc.remove("CNI_NETNS");
        assertThat(run(gc, CONF).exit()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "-x", "a b", "a@b", ".x"})
    void invalidContainerIdIsCode4BeforeThePluginRuns(String id) throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_CONTAINERID", id);
        Out o = run(env, CONF);
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_ENVIRONMENT);
        assertThat(o.json().optString("msg")).startsWith("CNI_CONTAINERID");
        assertThat(calls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth/0", "..", "averyveryverylongname", "eth 0"})
    void invalidInterfaceNameIsCode4(String ifName) throws Exception {
        Map<String, String> env = env("DEL");
        env.put("CNI_IFNAME", ifName);
        Out o = run(env, CONF);
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_ENVIRONMENT);
        assertThat(o.json().optString("msg")).startsWith("CNI_IFNAME");
    }

    @Test
    void relativeNetnsIsCode4() throws Exception {
        Map<String, String> env = env("ADD");
        env.put("CNI_NETNS", "netns/p1");
        assertThat(run(env, CONF).code()).isEqualTo(ErrorCodes.INVALID_ENVIRONMENT);
    }

    @Test
    void missingOrUnknownCommandIsCode4() throws Exception {
        Map<String, String> env = env("ADD");
        env.remove("CNI_COMMAND");
        Out o = run(env, CONF);
        assertThat(o.code()).isEqualTo(ErrorCodes.INVALID_ENVIRONMENT);
        assertThat(o.stderr()).contains("container runtime");
        env.put("CNI_COMMAND", "add");
        assertThat(run(env, CONF).json().optString("msg")).contains("'add' is not one of");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "not json", "{\"cniVersion\":\"1.0.0\",}", "[1]", "\"str\"", "null"})
    void badJsonIsCode6(String stdin) throws Exception {
        Out o = run(env("ADD"), stdin);
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.code()).isEqualTo(ErrorCodes.DECODING_FAILURE);
        assertThat(o.json().optString("cniVersion")).isEqualTo("1.1.0");
        assertThat(calls).isEmpty();
    }

    @Test
    void oversizedStdinIsRefused() throws Exception {
        String big = "{\"cniVersion\":\"1.0.0\",\"pad\":\"" + "x".repeat(Skel.MAX_STDIN) + "\"}";
        assertThat(run(env("ADD"), big).json().optString("msg")).contains("larger than");
    }

    @Test
    void unreadableStdinIsCode5() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("pipe broke");
            }
        };
        Out o = run(env("ADD"), broken);
        assertThat(o.code()).isEqualTo(ErrorCodes.IO_FAILURE);
        assertThat(o.json().optString("msg")).contains("pipe broke");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"n\"}", "{\"cniVersion\":\"0.2.0\"}", "{\"cniVersion\":\"2.0.0\"}",
        "{\"cniVersion\":1}", "{\"cniVersion\":\"\"}"})
    void unsupportedOrMissingVersionIsCode1(String stdin) throws Exception {
        Out o = run(env("ADD"), stdin);
        assertThat(o.code()).isEqualTo(ErrorCodes.INCOMPATIBLE_VERSION);
        assertThat(o.json().optString("msg")).contains("0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
    }

    @ParameterizedTest
    @CsvSource({"CHECK, 0.3.1, 0.4.0", "GC, 1.0.0, 1.1.0", "STATUS, 0.4.0, 1.1.0"})
    void commandsNewerThanTheConfigurationAreCode1(String cmd, String version, String needed) throws Exception {
        Out o = run(env(cmd), "{\"cniVersion\":\"" + version + "\"}");
        assertThat(o.code()).isEqualTo(ErrorCodes.INCOMPATIBLE_VERSION);
        assertThat(o.json().optString("msg")).isEqualTo(cmd + " needs cniVersion " + needed
                + " or newer, the configuration says " + version);
        assertThat(o.json().optString("cniVersion")).isEqualTo(version);
    }

    @Test
    void versionListsWhatWeftSpeaksAndEchoesTheAskedVersion() throws Exception {
        Out o = run(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"0.4.0\"}");
        assertThat(o.exit()).isZero();
        assertThat(o.stdout()).isEqualTo("{\"cniVersion\":\"0.4.0\",\"supportedVersions\":"
                + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
        assertThat(run(Map.of("CNI_COMMAND", "VERSION"), "").json().optString("cniVersion")).isEqualTo("1.1.0");
        assertThat(run(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"9.9.9\"}").json().optString("cniVersion"))
                .isEqualTo("1.1.0");
        assertThat(calls).isEmpty();
    }

    @Test
    void pluginErrorsAreWrittenWithTheirCodeInTheConfigurationsVersion() throws Exception {
        failWith = new CniException(ErrorCodes.TRY_AGAIN_LATER, "subnet.env is not there", "start the agent");
        Out o = run(env("ADD"), "{\"cniVersion\":\"0.4.0\"}");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.stdout()).isEqualTo("{\"cniVersion\":\"0.4.0\",\"code\":11,\"msg\":\"subnet.env is not there\","
                + "\"details\":\"start the agent\"}\n");
        assertThat(o.stderr()).contains("ADD c1/eth0: code 11: subnet.env is not there (start the agent)");
    }

    @Test
    void unexpectedExceptionsAreCode999WithTheStackOnStderr() throws Exception {
        crashWith = new IllegalStateException("boom");
        Out o = run(env("DEL"), CONF);
        assertThat(o.code()).isEqualTo(ErrorCodes.INTERNAL);
        assertThat(o.json().optString("msg")).contains("boom");
        assertThat(o.stderr()).contains("java.lang.IllegalStateException: boom").contains("\tat ");
    }
}
