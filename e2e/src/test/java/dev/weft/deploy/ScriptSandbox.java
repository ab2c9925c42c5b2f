package dev.weft.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the chart's shell containers on this machine, as the kubelet would but with every
 * container path moved under a temporary root: the script comes from the rendered scripts
 * ConfigMap, ConfigMap volumes are written out, hostPath and emptyDir mounts become directories,
 * and each env value that is an absolute path is moved under the root. So what runs is the
 * rendered script with the rendered env, not a copy.
 */
final class ScriptSandbox {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(20);

    private final Path root;
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();

    private ScriptSandbox(Path root, List<String> command) {
        this.root = root;
        this.command = command;
    }

    static ScriptSandbox of(Path root, Manifest manifest, DaemonSet ds, String container) throws IOException {
        Container c = PodSpecs.container(ds, container);
        List<String> cmd = c.getCommand();
        if (cmd.size() != 2 || !cmd.get(0).equals("/bin/sh")) {
            throw new IllegalArgumentException(container + " does not run a script: " + cmd);
        }
        ScriptSandbox box = new ScriptSandbox(root, List.of("/bin/sh", root.resolve(cmd.get(1).substring(1)).toString()));
        for (VolumeMount m : c.getVolumeMounts()) {
            box.materialise(manifest, PodSpecs.volume(ds, m.getName()), m.getMountPath());
        }
        for (Map.Entry<String, String> e : PodSpecs.env(c).entrySet()) {
            String v = e.getValue();
            box.env.put(e.getKey(), v.startsWith("/") ? box.host(v).toString() : v);
        }
        return box;
    }

    /** Where a container path lives in the sandbox. */
    Path host(String containerPath) {
        return root.resolve(containerPath.substring(1));
    }

    ScriptSandbox env(String name, String value) {
        env.put(name, value);
        return this;
    }

    String env(String name) {
        return env.get(name);
    }

    Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(root.resolve("stdout").toFile())
                .redirectError(root.resolve("stderr").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs to completion (bounded) and returns the exit code. */
    int run() throws IOException, InterruptedException {
        Process p = start();
        return awaitExit(p);
    }

    static int awaitExit(Process p) throws InterruptedException {
        if (!p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("script still running after " + EXIT_WAIT);
        }
        return p.exitValue();
    }

    String stdout() throws IOException {
        return Files.readString(root.resolve("stdout"));
    }

    String stderr() throws IOException {
        return Files.readString(root.resolve("stderr"));
    }

    private void materialise(Manifest manifest, Volume v, String mountPath) throws IOException {
        Path at = host(mountPath);
        if (v.getConfigMap() != null) {
            Files.createDirectories(at);
            ConfigMap cm = manifest.configMap(v.getConfigMap().getName());
            for (Map.Entry<String, String> file : cm.getData().entrySet()) {
                Files.writeString(at.resolve(file.getKey()), file.getValue());
            }
        } else if (v.getHostPath() != null && "FileOrCreate".equals(v.getHostPath().getType())) {
            Files.createDirectories(at.getParent());
            Files.writeString(at, "");
        } else {
            Files.createDirectories(at);
        }
    }
}
