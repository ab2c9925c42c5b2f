package dev.weft.e2e.pod;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a DaemonSet's pod template that decide how its containers run on a node, as the
 * harness maps them onto {@code podman run}. Built only by {@link PodTemplateParser}, which refuses
 * anything it cannot map.
 *
 * @param namespace                  the DaemonSet's namespace (the downward API's metadata.namespace)
 * @param serviceAccountName         the pod's service account
 * @param mountServiceAccountToken   whether the kubelet mounts the token (automountServiceAccountToken)
 * @param terminationGracePeriodSeconds SIGTERM to SIGKILL, as the kubelet stops a container
 * @param initContainers             run one after the other, each to completion, before the others
 * @param containers                 the long-running containers
 * @param volumes                    by name
 * @param configMaps                 the manifest's ConfigMaps by name (their data), for configMap volumes
 */
public record PodTemplate(String daemonSet, String namespace, String serviceAccountName,
                          boolean mountServiceAccountToken, int terminationGracePeriodSeconds,
                          List<ContainerSpec> initContainers, List<ContainerSpec> containers,
                          Map<String, Volume> volumes, Map<String, Map<String, String>> configMaps) {

    public ContainerSpec container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new ManifestException("spec.template.spec.containers[" + name + "]",
                        "missing: the harness needs a container named " + name));
    }

    /**
     * One container.
     *
     * @param path      its path in the manifest, for errors found later (a mount of an unknown volume)
     * @param readiness the readinessProbe, if any
     */
    public record ContainerSpec(String name, String path, List<String> command, List<String> args, List<Env> env,
                                List<Mount> mounts, Security security, Resources resources,
                                Optional<Probe> readiness) {
    }

    /** An environment variable: a literal, or a downward-API field the kubelet fills in. */
    public sealed interface Env {
        String name();
    }

    public record LiteralEnv(String name, String value) implements Env {
    }

    /** {@code valueFrom.fieldRef.fieldPath}: one of {@link PodTemplateParser#FIELD_PATHS}. */
    public record FieldRefEnv(String name, String fieldPath) implements Env {
    }

    public record Mount(String volume, String mountPath, boolean readOnly) {
    }

    /**
     * @param capAdd   capabilities added after dropping (kernel names without CAP_, upper case)
     * @param dropAll  whether capabilities.drop is [ALL] (the only drop list the harness maps)
     */
    public record Security(boolean readOnlyRootFilesystem, boolean noNewPrivileges, boolean dropAll, List<String> capAdd) {
    }

    /** Memory in bytes, CPU in millicores; empty when the manifest does not set it. */
    public record Resources(Optional<Long> memoryLimit, Optional<Long> memoryRequest, Optional<Long> cpuLimitMillis,
                            Optional<Long> cpuRequestMillis) {
    }

    public sealed interface Probe {
    }

    public record HttpGetProbe(String path, int port) implements Probe {
    }

    public record ExecProbe(List<String> command) implements Probe {
    }

    public sealed interface Volume {
        String name();
    }

    /** @param type "" (no check), Directory, DirectoryOrCreate, File or FileOrCreate */
    public record HostPathVolume(String name, String path, String type) implements Volume {
    }

    /** @param defaultMode the files' mode (0644 unless the manifest says otherwise) */
    public record ConfigMapVolume(String name, String configMap, int defaultMode) implements Volume {
    }

    /** @param sizeLimitBytes empty when unlimited */
    public record EmptyDirVolume(String name, Optional<Long> sizeLimitBytes) implements Volume {
    }
}
