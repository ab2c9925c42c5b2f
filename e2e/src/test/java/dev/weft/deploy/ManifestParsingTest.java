package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;

/** The parsing helpers the other tests rely on must themselves catch what they claim to. */
class ManifestParsingTest {

    @Test
    void documentsBecomeTypedObjectsAndCommentOnlyDocumentsAreSkipped() {
        Manifest m = Manifest.parse("""
                ---
                # Source: only a comment
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, namespace: n}
                data: {k: v}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: b}
                ---
                apiVersion: example.org/v1
                kind: Widget
                metadata: {name: c}
                spec: {size: 3}
                """);

        assertThat(m.describe()).containsExactly("ConfigMap/a", "DaemonSet/b", "Widget/c");
        assertThat(m.objects().get(0)).isInstanceOf(ConfigMap.class);
        assertThat(m.objects().get(1)).isInstanceOf(DaemonSet.class);
        assertThat(m.objects().get(2)).isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void misspeltFieldsAreReportedWithTheirPath() {
        DaemonSet ds = Manifest.parse("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: b, lables: {x: y}}
                spec:
                  template:
                    spec:
                      containers:
                        - name: agent
                          readinesProbe: {httpGet: {path: /readyz, port: 1}}
                          securityContext: {capabilities: {ad: [NET_ADMIN]}}
                """).daemonSet("b");

        assertThat(UnknownFields.in(ds)).containsExactlyInAnyOrder(
                "DaemonSet.metadata.lables",
                "DaemonSet.spec.template.spec.containers[0].readinesProbe",
                "DaemonSet.spec.template.spec.containers[0].securityContext.capabilities.ad");
    }

    @Test
    void correctlySpeltObjectsHaveNoUnknownFields() {
        DaemonSet ds = Manifest.parse("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: b, labels: {x: y}}
                spec:
                  template:
                    spec:
                      containers:
                        - name: agent
                          readinessProbe: {httpGet: {path: /readyz, port: 1}}
                          resources: {requests: {cpu: 50m}}
                """).daemonSet("b");

        assertThat(UnknownFields.in(ds)).isEmpty();
    }
}
