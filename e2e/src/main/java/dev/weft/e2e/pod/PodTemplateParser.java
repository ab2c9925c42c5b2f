package dev.weft.e2e.pod;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.weft.e2e.pod.PodTemplate.ContainerSpec;
import dev.weft.e2e.pod.PodTemplate.Volume;

/**
 * Reads a DaemonSet's pod template out of a multi-document manifest (deploy/weft.yaml), keeping
 * only what the harness can reproduce with podman and refusing the rest. Fields that only matter
 * to a scheduler (nodeSelector, tolerations, priorityClassName, labels, updateStrategy) or that the
 * harness does not act on (ports of a hostNetwork pod, imagePullPolicy for a local image, the
 * livenessProbe: nothing restarts a container here) are accepted by name; any other field, an
 * unknown volume type or env source, fails with its path.
 */
public final class PodTemplateParser {
    /** The downward-API fields a kubelet fills into env for a hostNetwork pod, and the harness does too. */
    public static final Set<String> FIELD_PATHS = Set.of("spec.nodeName", "metadata.namespace", "metadata.name",
            "spec.serviceAccountName", "status.hostIP", "status.podIP");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String POD = "spec.template.spec";

    private PodTemplateParser() {
    }

    /** The pod template of DaemonSet {@code name} in {@code manifestYaml}, with the manifest's ConfigMaps. */
    public static PodTemplate parse(String manifestYaml, String name) {
        List<JsonNode> docs = documents(manifestYaml);
        Field ds = null;
        Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
        for (JsonNode doc : docs) {
            String kind = doc.path("kind").asText();
            String docName = doc.path("metadata").path("name").asText();
            if (kind.equals("DaemonSet") && docName.equals(name)) {
                if (ds != null) {
                    throw new ManifestException("DaemonSet/" + name, "defined twice");
                }
                ds = Field.root(doc);
            } else if (kind.equals("ConfigMap")) {
                configMaps.put(docName, configMapData(Field.root(doc), docName));
            }
        }
        if (ds == null) {
            throw new ManifestException("DaemonSet/" + name, "missing from the manifest");
        }
        return template(ds, configMaps);
    }

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject()) {
                    out.add(doc);
                }
            }
        } catch (IOException e) {
            throw new ManifestException("(manifest)", "not YAML: " + e.getMessage());
        }
        return out;
    }

    private static Map<String, String> configMapData(Field cm, String name) {
        Map<String, String> data = new LinkedHashMap<>();
        cm.optional("data").ifPresent(d -> d.object().node().fieldNames().forEachRemaining(
                k -> data.put(k, d.required(k).text())));
        if (cm.optional("binaryData").isPresent()) {
            throw cm.fail("binaryData", "ConfigMap " + name + ": binaryData is not mapped");
        }
        return data;
    }

    private static PodTemplate template(Field ds, Map<String, Map<String, String>> configMaps) {
        ds.only(Set.of("apiVersion", "kind", "metadata", "spec"));
        Field meta = ds.required("metadata");
        String namespace = meta.optional("namespace").map(Field::text).orElse("default");
        Field spec = ds.required("spec").only(Set.of("selector", "updateStrategy", "template", "minReadySeconds",
                "revisionHistoryLimit"));
        Field template = spec.required("template").only(Set.of("metadata", "spec"));
        Field pod = template.required("spec").only(Set.of("hostNetwork", "priorityClassName", "securityContext",
                "nodeSelector", "tolerations", "serviceAccountName", "automountServiceAccountToken",
                "terminationGracePeriodSeconds", "initContainers", "containers", "volumes"));
        if (!pod.optional("hostNetwork").map(Field::bool).orElse(false)) {
            throw new ManifestException(POD + ".hostNetwork", "must be true: the harness runs the containers in the"
                    + " node's network namespace, as a hostNetwork pod");
        }
        pod.optional("securityContext").ifPresent(PodTemplateParser::podSecurity);
        Map<String, Volume> volumes = new LinkedHashMap<>();
        for (Field v : pod.optional("volumes").map(Field::namedItems).orElse(List.of())) {
            Volume vol = Volumes.parse(v, configMaps);
            volumes.put(vol.name(), vol);
        }
        List<ContainerSpec> init = containers(pod.optional("initContainers"), volumes);
        List<ContainerSpec> main = containers(Optional.of(pod.required("containers")), volumes);
        if (main.isEmpty()) {
            throw new ManifestException(POD + ".containers", "empty");
        }
        return new PodTemplate(meta.required("name").text(), namespace,
                pod.optional("serviceAccountName").map(Field::text).orElse("default"),
                pod.optional("automountServiceAccountToken").map(Field::bool).orElse(true),
                pod.optional("terminationGracePeriodSeconds").map(Field::integer).orElse(30),
                init, main, volumes, configMaps);
    }

    /** Only the runtime's default seccomp profile, which podman applies too. */
    private static void podSecurity(Field sc) {
        sc.only(Set.of("seccompProfile"));
        sc.optional("seccompProfile").ifPresent(p -> {
            p.only(Set.of("type"));
            String type = p.required("type").text();
            if (!type.equals("RuntimeDefault")) {
                throw p.fail("type", "'" + type + "' not mapped: only RuntimeDefault (podman's default profile)");
            }
        });
    }

    private static List<ContainerSpec> containers(Optional<Field> list, Map<String, Volume> volumes) {
        List<ContainerSpec> out = new ArrayList<>();
        for (Field c : list.map(Field::namedItems).orElse(List.of())) {
            out.add(Containers.parse(c, volumes));
        }
        return out;
    }
}
