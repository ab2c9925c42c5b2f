package dev.weft.e2e.pod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.e2e.pod.PodTemplate.ConfigMapVolume;
import dev.weft.e2e.pod.PodTemplate.ContainerSpec;
import dev.weft.e2e.pod.PodTemplate.EmptyDirVolume;
import dev.weft.e2e.pod.PodTemplate.Env;
import dev.weft.e2e.pod.PodTemplate.FieldRefEnv;
import dev.weft.e2e.pod.PodTemplate.HostPathVolume;
import dev.weft.e2e.pod.PodTemplate.LiteralEnv;
import dev.weft.e2e.pod.PodTemplate.Mount;
import dev.weft.e2e.pod.PodTemplate.Resources;
import dev.weft.e2e.pod.PodTemplate.Security;
import dev.weft.e2e.pod.PodTemplate.Volume;

/**
 * The {@code podman run} arguments for one container of the template on one node: what a kubelet
 * asks a container runtime for, spelt the way podman takes it. Only arguments, no execution.
 */
public final class ContainerCommand {
    /** Where the kubelet mounts the service account token, CA and namespace. */
    public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerCommand() {
    }

    /**
     * Everything after {@code podman}: {@code run} with the options, the image, the args.
     *
     * @param detach a long-running container ({@code --detach}); an init container runs attached
     */
    public static List<String> run(PodTemplate t, ContainerSpec c, PodContext ctx, boolean detach) {
        return run(t, c, ctx, detach, List.of());
    }

    /** As {@link #run(PodTemplate, ContainerSpec, PodContext, boolean)}, with the runtime's own options first. */
    public static List<String> run(PodTemplate t, ContainerSpec c, PodContext ctx, boolean detach, List<String> runtime) {
        List<String> a = new ArrayList<>(List.of("run"));
        a.addAll(runtime);
        if (detach) {
            a.add("--detach");
        }
        a.addAll(List.of("--name", ctx.containerName(c.name()),
                "--pull=never",
                "--network", "ns:" + ctx.netns(),
                // A hostNetwork pod shares the node's host name.
                "--hostname", ctx.nodeName(),
                "--log-driver", "k8s-file", "--log-opt", "path=" + ctx.log(c.name()),
                "--stop-timeout", String.valueOf(t.terminationGracePeriodSeconds())));
        security(c.security(), a);
        resources(c.resources(), a);
        env(t, c, ctx).forEach((k, v) -> a.addAll(List.of("--env", k + "=" + v)));
        for (Mount m : c.mounts()) {
            a.addAll(List.of("--mount", bind(source(t.volumes().get(m.volume()), ctx), m.mountPath(), m.readOnly())));
        }
        ctx.serviceAccount().ifPresent(dir -> a.addAll(List.of("--mount", bind(dir, SERVICE_ACCOUNT_DIR, true))));
        a.addAll(List.of("--entrypoint", json(c.command()), ctx.image()));
        a.addAll(c.args());
        return a;
    }

    private static void security(Security s, List<String> a) {
        if (s.dropAll()) {
            a.add("--cap-drop=all");
        }
        if (!s.capAdd().isEmpty()) {
            a.add("--cap-add=" + String.join(",", s.capAdd()));
        }
        if (s.noNewPrivileges()) {
            a.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        if (s.readOnlyRootFilesystem()) {
            // podman would otherwise put tmpfs on /tmp, /run and /var/tmp; Kubernetes gives only the volumes.
            a.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
    }

    /** As the kubelet maps them: limits are hard, the CPU request becomes the cgroup's share. */
    private static void resources(Resources r, List<String> a) {
        r.memoryLimit().ifPresent(b -> a.addAll(List.of("--memory", b + "b")));
        r.memoryRequest().ifPresent(b -> a.addAll(List.of("--memory-reservation", b + "b")));
        r.cpuLimitMillis().ifPresent(m -> a.addAll(List.of("--cpus", String.format(java.util.Locale.ROOT, "%.3f", m / 1000.0))));
        r.cpuRequestMillis().ifPresent(m -> a.addAll(List.of("--cpu-shares", String.valueOf(Math.max(2, m * 1024 / 1000)))));
    }

    /** The kubelet's service variables first, then the container's own, downward-API fields filled in. */
    static Map<String, String> env(PodTemplate t, ContainerSpec c, PodContext ctx) {
        Map<String, String> out = new LinkedHashMap<>();
        String host = ctx.apiServer().get("KUBERNETES_SERVICE_HOST");
        String port = ctx.apiServer().get("KUBERNETES_SERVICE_PORT");
        if (host != null && port != null) {
            out.put("KUBERNETES_SERVICE_HOST", host);
            out.put("KUBERNETES_SERVICE_PORT", port);
            out.put("KUBERNETES_SERVICE_PORT_HTTPS", port);
            out.put("KUBERNETES_PORT", "tcp://" + host + ":" + port);
        }
        for (Env e : c.env()) {
            out.put(e.name(), switch (e) {
                case LiteralEnv l -> l.value();
                case FieldRefEnv f -> field(t, ctx, f.fieldPath());
            });
        }
        return out;
    }

    private static String field(PodTemplate t, PodContext ctx, String fieldPath) {
        return switch (fieldPath) {
            case "spec.nodeName" -> ctx.nodeName();
            case "metadata.namespace" -> t.namespace();
            case "metadata.name" -> ctx.podName();
            case "spec.serviceAccountName" -> t.serviceAccountName();
            case "status.hostIP", "status.podIP" -> ctx.hostIp();
            default -> throw new IllegalStateException("the parser let through fieldPath " + fieldPath);
        };
    }

    /** The host side of a volume on this node (see {@link PodVolumes} for how each is made). */
    static Path source(Volume v, PodContext ctx) {
        return switch (v) {
            case HostPathVolume h -> ctx.host(h.path());
            case ConfigMapVolume cm -> ctx.podDir().resolve("volumes/configmap").resolve(cm.name());
            case EmptyDirVolume e -> ctx.podDir().resolve("volumes/empty-dir").resolve(e.name());
        };
    }

    private static String bind(Path source, String destination, boolean readOnly) {
        String s = source.toString();
        if (s.contains(",") || s.contains("=")) {
            throw new IllegalArgumentException("host path " + s + " cannot be given to podman --mount");
        }
        return "type=bind,source=" + s + ",destination=" + destination + (readOnly ? ",ro=true" : "");
    }

    private static String json(List<String> command) {
        try {
            return JSON.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
