package dev.weft.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Lookups into a DaemonSet's pod template that the tests repeat. */
final class PodSpecs {
    private PodSpecs() {}

    static PodSpec of(DaemonSet ds) {
        return ds.getSpec().getTemplate().getSpec();
    }

    /** Init containers first, in the order the kubelet runs them, then the regular ones. */
    static List<Container> allContainers(DaemonSet ds) {
        PodSpec spec = of(ds);
        return Stream.concat(
                        Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream(),
                        spec.getContainers().stream())
                .toList();
    }

    static Container container(DaemonSet ds, String name) {
        return allContainers(ds).stream()
                .filter(c -> name.equals(c.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + names(allContainers(ds))));
    }

    static List<String> names(List<Container> containers) {
        return containers.stream().map(Container::getName).toList();
    }

    static Volume volume(DaemonSet ds, String name) {
        return of(ds).getVolumes().stream()
                .filter(v -> name.equals(v.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static Optional<VolumeMount> mount(Container c, String volume) {
        return Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream()
                .filter(m -> volume.equals(m.getName()))
                .findFirst();
    }

    /** Literal env values by name (downward-API entries are left out). */
    static Map<String, String> env(Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            if (e.getValue() != null) {
                out.put(e.getName(), e.getValue());
            }
        }
        return out;
    }

    static Optional<EnvVar> envVar(Container c, String name) {
        return Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                .filter(e -> name.equals(e.getName()))
                .findFirst();
    }
}
