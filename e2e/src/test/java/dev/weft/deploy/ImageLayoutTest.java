package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built here (no container engine), so this keeps the chart and
 * deploy/Dockerfile agreeing on where things are: every image path a container of the chart
 * runs or reads must be put there by the Dockerfile.
 */
class ImageLayoutTest {
    private static final Pattern COPY = Pattern.compile("(?m)^COPY --from=build \\S+ (/\\S+)$");

    @Test
    void everyImagePathTheChartUsesIsProvidedByTheDockerfile() throws IOException {
        String dockerfile = Files.readString(RepoPaths.root().resolve("deploy/Dockerfile"));
        List<String> provided = new ArrayList<>();
        Matcher m = COPY.matcher(dockerfile);
        while (m.find()) {
            provided.add(m.group(1));
        }
        assertThat(provided).contains("/opt/weft/agent", "/usr/share/weft/cni-bundle");
        // the jlink'd runtime goes with the agent (/opt/weft/agent/runtime), whose AOT cache is then trained for it
        assertThat(dockerfile).containsSubsequence("jlink", "--output /out/runtime", "cp -a /out/runtime /out/agent/runtime",
                "build-aot-cache.sh /out/agent", "COPY --from=build /out/agent /opt/weft/agent");
        // Debian's package puts its plugins in /usr/lib/cni; the Dockerfile checks each one after installing
        assertThat(dockerfile).contains("containernetworking-plugins")
                .contains("for p in bridge host-local portmap loopback; do test -x \"/usr/lib/cni/$p\"; done");
        provided.add("/usr/lib/cni");

        List<String> used = new ArrayList<>();
        for (Manifest manifest : List.of(ChartRenderer.defaults().manifest(),
                ChartRenderer.defaults().set("mode", "cleanup").manifest())) {
            for (DaemonSet ds : manifest.all(DaemonSet.class)) {
                for (Container c : PodSpecs.allContainers(ds)) {
                    if (!c.getCommand().getFirst().equals("/bin/sh")) {
                        used.add(c.getCommand().getFirst());
                    }
                    PodSpecs.env(c).forEach((k, v) -> {
                        if (k.equals("PLUGIN_DIR") || k.equals("WEFT")) {
                            used.add(v);
                        }
                    });
                }
            }
        }
        assertThat(used).contains("/opt/weft/agent/bin/weft", "/usr/share/weft/cni-bundle/install.sh", "/usr/lib/cni");
        for (String path : used) {
            assertThat(provided).as("image path %s", path).anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
        }
    }

    @Test
    void theBundleIsNotUnderTheHostMountedInstallPrefix() {
        DaemonSet ds = ChartRenderer.defaults().manifest().daemonSet("weft");
        String prefix = PodSpecs.mount(PodSpecs.container(ds, "install-weft-cni"), "install-prefix").orElseThrow().getMountPath();
        String installer = PodSpecs.container(ds, "install-weft-cni").getCommand().getFirst();

        // the hostPath mount would hide whatever the image keeps below it
        assertThat(installer).doesNotStartWith(prefix + "/");
    }
}
