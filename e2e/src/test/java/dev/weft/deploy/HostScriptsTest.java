package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.Privileges;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install, conflist and cleanup steps are shell scripts the chart ships in a ConfigMap.
 * Each test runs the rendered script with the rendered env against directories under a
 * temporary root (see {@link ScriptSandbox}); nothing outside it is touched.
 */
class HostScriptsTest {
    private static final String NEW_PLUGIN = "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\"]}";
    private static final String OLD_PLUGIN = "{\"cniVersion\":\"0.4.0\",\"supportedVersions\":[\"0.3.1\",\"0.4.0\"]}";

    private static Manifest agent;
    private static Manifest cleanup;

    @TempDir
    Path root;

    @BeforeAll
    static void render() {
        agent = ChartRenderer.defaults().manifest();
        cleanup = ChartRenderer.defaults().set("mode", "cleanup").manifest();
    }

    private static DaemonSet agentDs() {
        return agent.daemonSet("weft");
    }

    @Test
    void installPluginsKeepsUsableHostPluginsAndInstallsTheRest() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, agent, agentDs(), "install-cni-plugins");
        Path image = Path.of(box.env("PLUGIN_DIR"));
        Path host = Path.of(box.env("CNI_BIN_DIR"));
        Files.createDirectories(image);
        for (String p : box.env("PLUGINS").split(" ")) {
            fakePlugin(image.resolve(p), "image", NEW_PLUGIN);
        }
        fakePlugin(host.resolve("bridge"), "host", NEW_PLUGIN);   // usable: kept
        fakePlugin(host.resolve("portmap"), "host", OLD_PLUGIN);  // too old for cniVersion 1.0.0
        Files.writeString(host.resolve("loopback"), "not executable");

        assertThat(box.run()).as(box.stderr()).isZero();

        assertThat(box.env("PLUGINS").split(" ")).containsExactlyInAnyOrder("bridge", "host-local", "portmap", "loopback");
        assertThat(Files.readString(host.resolve("bridge"))).contains("# from host");
        for (String p : List.of("host-local", "portmap", "loopback")) {
            assertThat(Files.readString(host.resolve(p))).as(p).contains("# from image");
            assertThat(Files.isExecutable(host.resolve(p))).as(p).isTrue();
        }
        try (var left = Files.list(host)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("no temporary files left")
                    .containsExactlyInAnyOrder("bridge", "host-local", "portmap", "loopback");
        }
        assertThat(box.stdout()).contains("keeping the host's").contains("installed");
    }

    /** The image ships Debian's plugins; the VERSION check must accept them as they answer. */
    @Test
    void installPluginsAcceptsTheDistributionsPluginsOnTheSecondRun() throws Exception {
        Path debian = Path.of("/usr/lib/cni");
        if (!Files.isExecutable(debian.resolve("bridge"))) {
            String why = "needs Debian's containernetworking-plugins in " + debian + " (./dev test installs it as root)";
            if (Privileges.underCi()) {
                throw new IllegalStateException("CI=true: " + why);
            }
            Assumptions.abort(why);
        }
        ScriptSandbox box = ScriptSandbox.of(root, agent, agentDs(), "install-cni-plugins").env("PLUGIN_DIR", debian.toString());
        Path host = Path.of(box.env("CNI_BIN_DIR"));

        assertThat(box.run()).as(box.stderr()).isZero();
        assertThat(box.stdout()).doesNotContain("keeping");
        for (String p : box.env("PLUGINS").split(" ")) {
            assertThat(Files.mismatch(host.resolve(p), debian.resolve(p))).as(p).isEqualTo(-1L);
        }

        assertThat(box.run()).as(box.stderr()).isZero();
        assertThat(box.stdout()).doesNotContain("installed").contains("keeping the host's " + host.resolve("loopback"));
    }

    @Test
    void installPluginsFailsLoudlyWhenTheImageLacksOne() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, agent, agentDs(), "install-cni-plugins");
        Files.createDirectories(Path.of(box.env("PLUGIN_DIR")));

        assertThat(box.run()).isEqualTo(1);
        assertThat(box.stderr()).contains("missing from the image");
    }

    @Test
    void conflistIsWrittenOnlyAfterSubnetEnvAppearsThenTheSidecarIdlesUntilTerm() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, agent, agentDs(), "install-conflist").env("SUBNET_ENV_WAIT_SECONDS", "60");
        Path conflist = Path.of(box.env("CNI_CONF_DIR")).resolve("10-weft.conflist");
        Process p = box.start();
        try {
            Thread.sleep(1500);
            assertThat(p.isAlive()).isTrue();
            assertThat(conflist).doesNotExist();

            Files.writeString(Path.of(box.env("SUBNET_FILE")), "FLANNEL_NETWORK=10.42.0.0/16\n");
            waitFor(() -> Files.exists(conflist), "conflist written");

            assertThat(Files.readString(conflist))
                    .isEqualTo(agent.configMap("weft-config").getData().get("cni-conf.json"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conflist))).isEqualTo("rw-r--r--");
            assertThat(p.isAlive()).as("a DaemonSet container must keep running").isTrue();
        } finally {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy(); // SIGTERM, as the kubelet sends
            assertThat(ScriptSandbox.awaitExit(p)).as("exit code on SIGTERM").isZero();
            waitFor(() -> children.stream().noneMatch(ProcessHandle::isAlive), "idle sleep ended with the script");
        }
        try (var files = Files.list(conflist.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("10-weft.conflist");
        }
    }

    @Test
    void conflistWriterGivesUpAfterItsBoundAndWritesNothing() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, agent, agentDs(), "install-conflist").env("SUBNET_ENV_WAIT_SECONDS", "2");

        assertThat(box.run()).isEqualTo(1);
        assertThat(box.stderr()).contains("did not appear within 2s");
        try (var files = Files.list(Path.of(box.env("CNI_CONF_DIR")))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void cleanupWaitsUntilNoAgentAnswersThenRunsWeftCleanup() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, cleanup, cleanup.daemonSet("weft-cleanup"), "cleanup-node");
        Path invoked = fakeWeft(box);
        try (ServerSocket agentPort = new ServerSocket(0, 50, InetAddress.getByName(box.env("HEALTHZ_HOST")))) {
            box.env("HEALTHZ_PORT", Integer.toString(agentPort.getLocalPort()));
            Process p = box.start();
            Thread.sleep(2000);
            assertThat(p.isAlive()).as("waits while the agent's port answers").isTrue();
            assertThat(invoked).doesNotExist();
            agentPort.close();
            assertThat(ScriptSandbox.awaitExit(p)).as(box.stderr()).isZero();
        }
        assertThat(Files.readString(invoked).strip()).isEqualTo("cleanup");
    }

    @Test
    void cleanupGivesUpWhileAnAgentStillRuns() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, cleanup, cleanup.daemonSet("weft-cleanup"), "cleanup-node");
        Path invoked = fakeWeft(box);
        try (ServerSocket agentPort = new ServerSocket(0, 50, InetAddress.getByName(box.env("HEALTHZ_HOST")))) {
            box.env("HEALTHZ_PORT", Integer.toString(agentPort.getLocalPort())).env("AGENT_STOP_WAIT_SECONDS", "2");

            assertThat(box.run()).isEqualTo(1);
        }
        assertThat(box.stderr()).contains("delete the weft DaemonSet first");
        assertThat(invoked).doesNotExist();
    }

    @Test
    void removeHostFilesRemovesWeftsFilesAndLeavesTheRest() throws Exception {
        ScriptSandbox box = ScriptSandbox.of(root, cleanup, cleanup.daemonSet("weft-cleanup"), "remove-host-files");
        Path conf = Path.of(box.env("CNI_CONF_DIR"));
        Path bin = Path.of(box.env("CNI_BIN_DIR"));
        Path prefix = Path.of(box.env("INSTALL_PREFIX"));
        Files.writeString(conf.resolve("10-weft.conflist"), "{}");
        Files.writeString(conf.resolve("99-loopback.conf"), "{}");
        Files.writeString(bin.resolve("weft"), "launcher");
        Files.writeString(bin.resolve("bridge"), "plugin");
        Files.createDirectories(prefix.resolve("cni/runtime/bin"));
        Files.writeString(prefix.resolve("cni/runtime/bin/java"), "jvm");

        assertThat(box.run()).as(box.stderr()).isZero();

        assertThat(conf.resolve("10-weft.conflist")).doesNotExist();
        assertThat(conf.resolve("99-loopback.conf")).exists();
        assertThat(bin.resolve("weft")).doesNotExist();
        assertThat(bin.resolve("bridge")).exists();
        assertThat(prefix).isEmptyDirectory();
    }

    @Test
    void removeHostFilesNeverEmptiesAPrefixNotNamedWeft() throws Exception {
        Manifest m = ChartRenderer.defaults().set("mode", "cleanup").set("cni.installPrefix", "/usr/local").manifest();
        ScriptSandbox box = ScriptSandbox.of(root, m, m.daemonSet("weft-cleanup"), "remove-host-files");
        Path prefix = Path.of(box.env("INSTALL_PREFIX"));
        Files.writeString(prefix.resolve("precious"), "data");

        assertThat(box.run()).as(box.stderr()).isZero();

        assertThat(prefix.resolve("precious")).exists();
        assertThat(box.stderr()).contains("not emptying");
    }

    private static void fakePlugin(Path file, String origin, String versionJson) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n# from " + origin + "\n"
                + "[ \"$CNI_COMMAND\" = VERSION ] && echo '" + versionJson + "'\n");
        file.toFile().setExecutable(true);
    }

    /** A stand-in launcher that records its arguments next to itself. */
    private static Path fakeWeft(ScriptSandbox box) throws IOException {
        Path launcher = Path.of(box.env("WEFT"));
        Path invoked = launcher.resolveSibling("invoked");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\necho \"$@\" > '" + invoked + "'\n");
        launcher.toFile().setExecutable(true);
        return invoked;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
