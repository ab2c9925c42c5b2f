package dev.weft.e2e.pod;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.weft.e2e.pod.PodTemplate.ConfigMapVolume;
import dev.weft.e2e.pod.PodTemplate.EmptyDirVolume;
import dev.weft.e2e.pod.PodTemplate.HostPathVolume;
import dev.weft.e2e.pod.PodTemplate.Volume;

/** The volume types the harness maps: hostPath, configMap (from the same manifest) and emptyDir. */
final class Volumes {
    private static final Set<String> HOST_PATH_TYPES = Set.of("", "Directory", "DirectoryOrCreate", "File", "FileOrCreate");

    private Volumes() {
    }

    static Volume parse(Field v, Map<String, Map<String, String>> configMaps) {
        v.only(Set.of("name", "hostPath", "configMap", "emptyDir"));
        String name = v.required("name").text();
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw v.fail("name", "'" + name + "' is not a DNS-1123 label");
        }
        int sources = (int) Set.of("hostPath", "configMap", "emptyDir").stream().filter(s -> v.optional(s).isPresent()).count();
        if (sources != 1) {
            throw v.fail("exactly one volume source expected (hostPath, configMap or emptyDir), found " + sources);
        }
        if (v.optional("hostPath").isPresent()) {
            return hostPath(name, v.required("hostPath"));
        }
        if (v.optional("configMap").isPresent()) {
            return configMap(name, v.required("configMap"), configMaps);
        }
        return emptyDir(name, v.required("emptyDir"));
    }

    private static Volume hostPath(String name, Field hp) {
        hp.only(Set.of("path", "type"));
        String path = hp.required("path").text();
        if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.contains("/./")
                || path.contains("//") || !path.matches("[A-Za-z0-9._/+-]+")) {
            throw hp.fail("path", "'" + path + "' is not a plain absolute path");
        }
        String type = hp.optional("type").map(f -> f.node().asText()).orElse("");
        if (!HOST_PATH_TYPES.contains(type)) {
            throw hp.fail("type", "'" + type + "' not mapped (the harness maps " + HOST_PATH_TYPES + ")");
        }
        return new HostPathVolume(name, path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path, type);
    }

    private static Volume configMap(String name, Field cm, Map<String, Map<String, String>> configMaps) {
        cm.only(Set.of("name", "defaultMode"));
        String ref = cm.required("name").text();
        if (!configMaps.containsKey(ref)) {
            throw cm.fail("name", "ConfigMap '" + ref + "' is not in the manifest (the harness renders only its own ConfigMaps)");
        }
        for (String key : configMaps.get(ref).keySet()) {
            if (!key.matches("[-._a-zA-Z0-9]+") || key.equals(".") || key.equals("..")) {
                throw cm.fail("name", "ConfigMap '" + ref + "' has key '" + key + "', not a valid file name");
            }
        }
        int mode = cm.optional("defaultMode").map(Field::integer).orElse(0644);
        if (mode < 0 || mode > 0777) {
            throw cm.fail("defaultMode", mode + " is not a file mode (0..0777)");
        }
        return new ConfigMapVolume(name, ref, mode);
    }

    private static Volume emptyDir(String name, Field ed) {
        ed.only(Set.of("sizeLimit", "medium"));
        String medium = ed.optional("medium").map(f -> f.node().asText()).orElse("");
        if (!medium.isEmpty()) {
            throw ed.fail("medium", "'" + medium + "' not mapped: only the default (node disk)");
        }
        Optional<Long> limit = ed.optional("sizeLimit").map(f -> Quantities.bytes(f));
        return new EmptyDirVolume(name, limit);
    }
}
