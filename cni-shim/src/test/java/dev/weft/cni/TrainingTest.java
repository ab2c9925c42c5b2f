package dev.weft.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.weft.cni.shim.PodInterfaceProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT training run is real work: every command ends as expected against an exec'd fake plugin. */
class TrainingTest {
    @TempDir
    Path tmp;

    @Test
    void trainingCommandsAllBehave() throws Exception {
        assertThat(Training.run(tmp)).isZero();
        try (var left = Files.list(tmp.resolve("state/train"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".lock");
        }
    }

    @Test
    void mainRunsAgainstAnExecdPluginAndRollsBackThroughIt() throws Exception {
        Training.run(tmp); // leaves the fake plugin and subnet.env behind
        Path failing = tmp.resolve("bin/failbridge");
        Path log = tmp.resolve("calls");
        Files.writeString(failing, "#!/bin/sh\ncat >/dev/null\necho \"$CNI_COMMAND $CNI_CONTAINERID\" >> " + log
                + "\nif [ \"$CNI_COMMAND\" = ADD ]; then echo '{\"code\":11,\"msg\":\"busy\"}'; exit 1; fi\n");
        failing.toFile().setExecutable(true);
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"weft\",\"subnetFile\":\""
                + tmp.resolve("subnet.env") + "\",\"dataDir\":\"" + tmp.resolve("st") + "\",\"delegate\":{\"type\":\"failbridge\"}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Main.run(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "p1", "CNI_NETNS", "/var/run/netns/x",
                        "CNI_IFNAME", "eth0", "CNI_PATH", tmp.resolve("bin").toString()),
                new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true), PodInterfaceProbe.unavailable());
        assertThat(rc).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"failbridge ADD: busy\","
                + "\"details\":\"rolled back with failbridge DEL\"}\n");
        assertThat(Files.readAllLines(log)).containsExactly("ADD p1", "DEL p1");
        assertThat(tmp.resolve("st/n/p1@eth0")).doesNotExist();
    }
}
