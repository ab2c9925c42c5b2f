package dev.weft.e2e.pod;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.weft.e2e.pod.PodTemplate.ContainerSpec;
import dev.weft.e2e.pod.PodTemplate.Env;
import dev.weft.e2e.pod.PodTemplate.ExecProbe;
import dev.weft.e2e.pod.PodTemplate.FieldRefEnv;
import dev.weft.e2e.pod.PodTemplate.HttpGetProbe;
import dev.weft.e2e.pod.PodTemplate.LiteralEnv;
import dev.weft.e2e.pod.PodTemplate.Mount;
import dev.weft.e2e.pod.PodTemplate.Probe;
import dev.weft.e2e.pod.PodTemplate.Resources;
import dev.weft.e2e.pod.PodTemplate.Security;
import dev.weft.e2e.pod.PodTemplate.Volume;

/** One container of the pod template, field by field. */
final class Containers {
    private static final Set<String> FIELDS = Set.of("name", "image", "imagePullPolicy", "command", "args", "env",
            "ports", "livenessProbe", "readinessProbe", "securityContext", "resources", "volumeMounts");
    private static final Set<String> PROBE_TIMING = Set.of("initialDelaySeconds", "periodSeconds", "timeoutSeconds",
            "failureThreshold", "successThreshold");

    private Containers() {
    }

    static ContainerSpec parse(Field c, Map<String, Volume> volumes) {
        c.only(FIELDS);
        c.required("image").text(); // replaced by the image under test, as a user retags it
        List<String> command = c.optional("command").map(Field::strings).orElse(List.of());
        if (command.isEmpty()) {
            // The image's ENTRYPOINT would run: legal, but the point is to run the manifest's command line.
            throw c.fail("command", "missing: the harness runs the manifest's own command, not the image's entrypoint");
        }
        List<String> args = c.optional("args").map(Field::strings).orElse(List.of());
        c.optional("livenessProbe").ifPresent(Containers::probe);
        c.optional("ports").ifPresent(Containers::ports);
        return new ContainerSpec(c.required("name").text(), c.path(), command, args, env(c.optional("env")),
                mounts(c.optional("volumeMounts"), volumes),
                security(c.optional("securityContext")), resources(c.optional("resources")),
                c.optional("readinessProbe").map(Containers::probe));
    }

    private static List<Env> env(Optional<Field> list) {
        List<Env> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Field e : list.map(Field::items).orElse(List.of())) {
            e.only(Set.of("name", "value", "valueFrom"));
            String name = e.required("name").text();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || !seen.add(name)) {
                throw e.fail("name", "'" + name + "' is not a unique environment variable name");
            }
            Optional<Field> value = e.optional("value");
            Optional<Field> from = e.optional("valueFrom");
            if (value.isPresent() == from.isPresent()) {
                throw e.fail("exactly one of value and valueFrom expected");
            }
            out.add(value.isPresent() ? new LiteralEnv(name, value.get().node().asText()) : fieldRef(name, from.get()));
        }
        return out;
    }

    private static Env fieldRef(String name, Field from) {
        from.only(Set.of("fieldRef"));
        Field ref = from.required("fieldRef").only(Set.of("fieldPath", "apiVersion"));
        String path = ref.required("fieldPath").text();
        if (!PodTemplateParser.FIELD_PATHS.contains(path)) {
            throw ref.fail("fieldPath", "'" + path + "' not mapped (the harness fills " + PodTemplateParser.FIELD_PATHS + ")");
        }
        return new FieldRefEnv(name, path);
    }

    private static List<Mount> mounts(Optional<Field> list, Map<String, Volume> volumes) {
        List<Mount> out = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (Field m : list.map(Field::items).orElse(List.of())) {
            m.only(Set.of("name", "mountPath", "readOnly"));
            String volume = m.required("name").text();
            if (!volumes.containsKey(volume)) {
                throw m.fail("name", "no volume '" + volume + "' in spec.template.spec.volumes");
            }
            String path = m.required("mountPath").text();
            if (!path.startsWith("/") || path.contains("..") || path.contains(":") || path.contains(",") || !paths.add(path)) {
                throw m.fail("mountPath", "'" + path + "' is not a unique plain absolute path");
            }
            out.add(new Mount(volume, path, m.optional("readOnly").map(Field::bool).orElse(false)));
        }
        return out;
    }

    private static Security security(Optional<Field> sc) {
        if (sc.isEmpty()) {
            return new Security(false, false, false, List.of());
        }
        Field s = sc.get().only(Set.of("privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities"));
        if (s.optional("privileged").map(Field::bool).orElse(false)) {
            throw s.fail("privileged", "true is not mapped: the harness never runs a privileged container");
        }
        boolean noNewPrivs = !s.optional("allowPrivilegeEscalation").map(Field::bool).orElse(true);
        boolean dropAll = false;
        List<String> add = List.of();
        Optional<Field> caps = s.optional("capabilities");
        if (caps.isPresent()) {
            Field c = caps.get().only(Set.of("add", "drop"));
            List<String> drop = c.optional("drop").map(Field::strings).orElse(List.of());
            if (!drop.isEmpty() && !drop.equals(List.of("ALL"))) {
                throw c.fail("drop", drop + " not mapped: only [ALL] (or nothing)");
            }
            dropAll = !drop.isEmpty();
            add = c.optional("add").map(Field::strings).orElse(List.of());
            for (String cap : add) {
                if (!cap.matches("[A-Z][A-Z_]*") || cap.startsWith("CAP_")) {
                    throw c.fail("add", "'" + cap + "' is not a capability name as Kubernetes spells it (NET_ADMIN)");
                }
            }
        }
        return new Security(s.optional("readOnlyRootFilesystem").map(Field::bool).orElse(false), noNewPrivs, dropAll, add);
    }

    private static Resources resources(Optional<Field> r) {
        if (r.isEmpty()) {
            return new Resources(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        Field res = r.get().only(Set.of("limits", "requests"));
        Optional<Field> limits = res.optional("limits").map(l -> l.only(Set.of("memory", "cpu")));
        Optional<Field> requests = res.optional("requests").map(l -> l.only(Set.of("memory", "cpu")));
        return new Resources(
                limits.flatMap(l -> l.optional("memory")).map(Quantities::bytes),
                requests.flatMap(l -> l.optional("memory")).map(Quantities::bytes),
                limits.flatMap(l -> l.optional("cpu")).map(Quantities::millicores),
                requests.flatMap(l -> l.optional("cpu")).map(Quantities::millicores));
    }

    private static Probe probe(Field p) {
        Set<String> known = new HashSet<>(PROBE_TIMING);
        known.addAll(Set.of("httpGet", "exec"));
        p.only(known);
        PROBE_TIMING.forEach(t -> p.optional(t).ifPresent(Field::integer));
        if (p.optional("httpGet").isPresent() == p.optional("exec").isPresent()) {
            throw p.fail("exactly one of httpGet and exec expected");
        }
        if (p.optional("exec").isPresent()) {
            Field e = p.required("exec").only(Set.of("command"));
            return new ExecProbe(e.required("command").strings());
        }
        Field h = p.required("httpGet").only(Set.of("path", "port"));
        int port = h.required("port").integer();
        if (port < 1 || port > 65535) {
            throw h.fail("port", port + " is not a port number");
        }
        return new HttpGetProbe(h.optional("path").map(Field::text).orElse("/"), port);
    }

    private static void ports(Field list) {
        for (Field p : list.items()) {
            p.only(Set.of("name", "containerPort", "protocol", "hostPort"));
            p.required("containerPort").integer();
        }
    }
}
