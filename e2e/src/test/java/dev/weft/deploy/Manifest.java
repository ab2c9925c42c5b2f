package dev.weft.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A multi-document Kubernetes YAML stream parsed into fabric8's typed model objects. */
record Manifest(List<HasMetadata> objects) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

    Manifest {
        objects = List.copyOf(objects);
    }

    /**
     * Each document becomes the model class registered for its apiVersion/kind (DaemonSet,
     * ClusterRole, ...); kinds fabric8 does not model, such as ServiceMonitor, stay generic.
     */
    static Manifest parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            KubernetesResource parsed = SERIALIZATION.unmarshal(doc, KubernetesResource.class);
            if (!(parsed instanceof HasMetadata object)) {
                throw new IllegalArgumentException("not a Kubernetes object: " + doc);
            }
            out.add(object);
        }
        return new Manifest(out);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " named " + name + ", found "
                    + found.size() + " among " + describe());
        }
        return found.getFirst();
    }

    DaemonSet daemonSet(String name) {
        return one(DaemonSet.class, name);
    }

    ConfigMap configMap(String name) {
        return one(ConfigMap.class, name);
    }

    List<GenericKubernetesResource> generic() {
        return all(GenericKubernetesResource.class);
    }

    /** "Kind/name" of every object, for assertion messages and set comparisons. */
    List<String> describe() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
