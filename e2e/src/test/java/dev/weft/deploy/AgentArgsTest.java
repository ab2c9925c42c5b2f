package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentArgsTest {

    private static DaemonSet daemonSet(List<Container> init, List<Container> containers) {
        return new DaemonSetBuilder()
                .withNewMetadata().withName("ds").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec()
                .withInitContainers(init)
                .withContainers(containers)
                .endSpec().endTemplate().endSpec()
                .build();
    }

    private static Container container(String name, List<String> command, List<String> args) {
        return new ContainerBuilder().withName(name).withCommand(command).withArgs(args).build();
    }

    @Test
    void takesTheRegularContainerNamedAgentNotAnInitContainerOrASidecar() {
        DaemonSet ds = daemonSet(
                List.of(container("agent", List.of("/init"), List.of("--from-init"))),
                List.of(container("install-conflist", List.of("/bin/sh"), List.of("x.sh")),
                        container("agent", List.of("/opt/weft/agent/bin/weft"),
                                List.of("agent", "--iface=eth0", "--ip-masq", "--iface=eth1"))));

        assertThat(AgentArgs.command(ds)).containsExactly("/opt/weft/agent/bin/weft");
        assertThat(AgentArgs.of(ds)).containsExactly("agent", "--iface=eth0", "--ip-masq", "--iface=eth1");
    }

    @Test
    void missingOrDuplicateAgentContainerIsAnError() {
        DaemonSet none = daemonSet(List.of(), List.of(container("other", List.of(), List.of())));
        DaemonSet two = daemonSet(List.of(), List.of(
                container("agent", List.of(), List.of()), container("agent", List.of(), List.of())));

        assertThatThrownBy(() -> AgentArgs.of(none)).hasMessageContaining("0 containers named agent");
        assertThatThrownBy(() -> AgentArgs.of(two)).hasMessageContaining("2 containers named agent");
    }

    @Test
    void absentArgsAreAnEmptyList() {
        DaemonSet ds = daemonSet(List.of(), List.of(new ContainerBuilder().withName("agent").build()));

        assertThat(AgentArgs.of(ds)).isEmpty();
        assertThat(AgentArgs.command(ds)).isEmpty();
    }

    @Test
    void flagsAreOptionNamesWithoutValuesAndSkipTheSubcommand() {
        List<String> args = List.of("agent", "--iface=eth0", "--ip-masq", "--iface=10.0.0.1", "--healthz-port=9471");

        assertThat(AgentArgs.flags(args)).containsExactly("--iface", "--ip-masq", "--iface", "--healthz-port");
    }

    @Test
    void valuesOfRepeatableAndSingleFlags() {
        List<String> args = List.of("agent", "--iface=eth0", "--iface=eth1", "--healthz-port=9471", "--ip-masq",
                "--iface-regex=^en.*=x$");

        assertThat(AgentArgs.values(args, "--iface")).containsExactly("eth0", "eth1");
        assertThat(AgentArgs.value(args, "--healthz-port")).hasValue("9471");
        assertThat(AgentArgs.value(args, "--iface-regex")).hasValue("^en.*=x$");
        assertThat(AgentArgs.value(args, "--public-ip")).isEmpty();
        // a boolean flag has no "=value" form here; a prefix of another flag must not match
        assertThat(AgentArgs.value(args, "--ip-masq")).isEmpty();
        assertThatThrownBy(() -> AgentArgs.value(args, "--iface")).hasMessageContaining("--iface given 2 times");
    }
}
