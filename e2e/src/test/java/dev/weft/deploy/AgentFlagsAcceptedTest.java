package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.weft.app.WeftCli;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every argument the manifests give the agent is one the agent's own picocli spec accepts, so
 * renaming or removing a flag breaks this test, not a cluster.
 */
class AgentFlagsAcceptedTest {

    @Test
    void defaultChartArgsParse() {
        assertParses(ChartRenderer.defaults().manifest().daemonSet("weft"));
    }

    @Test
    void k3sPresetArgsParse() {
        assertParses(ChartRenderer.defaults().valuesFile(RepoPaths.k3sValues()).manifest().daemonSet("weft"));
    }

    @Test
    void everyOptionalFlagOfTheChartParses() {
        DaemonSet ds = ChartRenderer.defaults()
                .set("iface[0]", "eth0")
                .set("ifaceRegex", "^en")
                .set("ifaceCanReach", "198.18.0.1")
                .manifest().daemonSet("weft");
        assertParses(ds);
    }

    @Test
    void kubectlManifestArgsParse() throws Exception {
        assertParses(Manifest.parse(Files.readString(RepoPaths.manifest())).daemonSet("weft"));
    }

    @Test
    void aRenamedFlagIsRejected() {
        CommandLine cl = WeftCli.newCommandLine();
        List<String> args = new ArrayList<>(List.of("agent", "--ip-masquerade"));
        assertThat(catchParse(cl, args)).isInstanceOf(CommandLine.ParameterException.class);
    }

    private static void assertParses(DaemonSet ds) {
        List<String> args = AgentArgs.of(ds);
        assertThat(args).isNotEmpty();
        assertThat(args.getFirst()).isEqualTo("agent");
        CommandLine.ParseResult pr = WeftCli.newCommandLine().parseArgs(args.toArray(String[]::new));
        assertThat(pr.subcommand().commandSpec().name()).isEqualTo("agent");
        assertThat(pr.subcommand().unmatched()).as("unmatched agent arguments").isEmpty();
    }

    private static Throwable catchParse(CommandLine cl, List<String> args) {
        try {
            cl.parseArgs(args.toArray(String[]::new));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
