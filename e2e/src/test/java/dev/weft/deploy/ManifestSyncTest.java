package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * deploy/weft.yaml and deploy/weft-cleanup.yaml are the chart rendered with fixed settings plus a
 * header; the chart is the single source. This test fails when either file differs from a fresh
 * render. To update them after a chart change, run it with -Dweft.regenerate=true (the command is
 * in each file's header); the files are then rewritten before being compared.
 */
class ManifestSyncTest {
    private static final String REGENERATE = "./mvnw -B -ntp -pl e2e test -Dtest=ManifestSyncTest -Dweft.regenerate=true";

    static final String INSTALL_HEADER = """
            # weft: everything `kubectl apply -f deploy/weft.yaml` installs, in namespace kube-weft.
            #
            # GENERATED from charts/weft with its default values and createNamespace=true, equivalent to
            #   helm template weft charts/weft --namespace kube-weft --set createNamespace=true
            # Do not edit: change the chart, then regenerate with
            #   %s
            # The e2e test ManifestSyncTest fails while this file and the chart differ.
            #
            # Before applying: point every "image:" at the image you built and pushed
            # (README.md), and make "Network" in net-conf.json your cluster's Pod CIDR.
            """.formatted(REGENERATE);

    static final String CLEANUP_HEADER = """
            # weft uninstall step for clusters installed from deploy/weft.yaml: on every node, runs
            # `weft cleanup` and removes weft's CNI files. Order (README.md, "Uninstall"):
            #   kubectl -n kube-weft delete daemonset weft --wait
            #   kubectl apply -f deploy/weft-cleanup.yaml
            #   kubectl -n kube-weft rollout status daemonset/weft-cleanup --timeout=5m
            #   kubectl delete -f deploy/weft-cleanup.yaml -f deploy/weft.yaml --ignore-not-found
            #
            # GENERATED from charts/weft, equivalent to
            #   helm template weft charts/weft --namespace kube-weft --set createNamespace=true --set mode=cleanup
            # Do not edit: change the chart, then regenerate with
            #   %s
            """.formatted(REGENERATE);

    static String expectedInstall() {
        return INSTALL_HEADER + ChartRenderer.defaults().set("createNamespace", true).yaml();
    }

    static String expectedCleanup() {
        return CLEANUP_HEADER + ChartRenderer.defaults().set("createNamespace", true).set("mode", "cleanup").yaml();
    }

    @Test
    void weftYamlIsTheChartRenderedWithDefaults() throws IOException {
        assertInSync(RepoPaths.manifest(), expectedInstall());
    }

    @Test
    void weftCleanupYamlIsTheChartRenderedInCleanupMode() throws IOException {
        assertInSync(RepoPaths.cleanupManifest(), expectedCleanup());
    }

    @Test
    void chartDefaultsAndWeftYamlDescribeTheSameDaemonSet() throws IOException {
        DaemonSet fromChart = ChartRenderer.defaults().manifest().daemonSet("weft");
        Manifest file = Manifest.parse(Files.readString(RepoPaths.manifest()));
        DaemonSet fromFile = file.daemonSet("weft");

        assertThat(fromFile).usingRecursiveComparison().isEqualTo(fromChart);
        // and, spelt out, the parts a kubectl user depends on
        assertThat(PodSpecs.allContainers(fromFile)).isEqualTo(PodSpecs.allContainers(fromChart));
        assertThat(AgentArgs.of(fromFile)).isEqualTo(AgentArgs.of(fromChart));
        assertThat(PodSpecs.of(fromFile).getVolumes()).isEqualTo(PodSpecs.of(fromChart).getVolumes());
        assertThat(PodSpecs.of(fromFile).getSecurityContext()).isEqualTo(PodSpecs.of(fromChart).getSecurityContext());
    }

    @Test
    void bothFilesParseIntoTypedObjectsWithoutUnknownFields() throws IOException {
        for (Path path : new Path[] {RepoPaths.manifest(), RepoPaths.cleanupManifest()}) {
            Manifest file = Manifest.parse(Files.readString(path));
            assertThat(file.objects()).as(path.toString()).isNotEmpty();
            assertThat(file.generic()).as("objects of %s fabric8 could not type", path).isEmpty();
            for (HasMetadata o : file.objects()) {
                assertThat(UnknownFields.in(o)).as("%s %s", path.getFileName(), o.getKind()).isEmpty();
            }
        }
    }

    @Test
    void weftYamlCreatesItsNamespaceFirst() throws IOException {
        Manifest file = Manifest.parse(Files.readString(RepoPaths.manifest()));

        assertThat(file.objects().getFirst().getKind()).isEqualTo("Namespace");
        assertThat(file.objects().getFirst().getMetadata().getName()).isEqualTo(ChartRenderer.NAMESPACE);
    }

    /** README.md changes the image and the Pod CIDR with sed; those patterns must hit. */
    @Test
    void theDocumentedSedEditsMatchWeftYaml() throws IOException {
        String yaml = Files.readString(RepoPaths.manifest());
        Manifest file = Manifest.parse(yaml);
        long images = file.all(DaemonSet.class).stream().flatMap(ds -> PodSpecs.allContainers(ds).stream()).count();

        assertThat(yaml.split("\"Network\": \"10.42.0.0/16\"", -1)).hasSize(2);
        assertThat(yaml.split("image: localhost/weft:0.1.0\n", -1)).hasSize((int) images + 1);
        assertThat(Files.readString(RepoPaths.root().resolve("README.md")))
                .contains("s|localhost/weft:0.1.0|").contains("s|\"Network\": \"10.42.0.0/16\"|");
    }

    private static void assertInSync(Path file, String expected) throws IOException {
        if (Boolean.getBoolean("weft.regenerate")) {
            Files.writeString(file, expected);
        }
        assertThat(file).as("%s is missing; generate it with %s", file, REGENERATE).exists();
        assertThat(Files.readString(file))
                .as("%s differs from the chart; regenerate it with %s", RepoPaths.root().relativize(file), REGENERATE)
                .isEqualTo(expected);
    }
}
