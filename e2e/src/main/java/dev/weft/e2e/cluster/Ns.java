package dev.weft.e2e.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.weft.testing.Cmd;
import dev.weft.testing.NetnsSweeper;

/**
 * One network namespace of the cluster (underlay switch, API server, node, pod, outside host),
 * with the few operations the harness needs. Unlike the per-test fixture, it outlives the JVM when
 * the sandbox asks it to; the {@link Cluster} decides when it goes.
 */
public record Ns(String name) {
    public static final Path NETNS_DIR = Path.of("/var/run/netns");

    /** Creates the namespace with loopback up. */
    public static Ns create(String name) {
        Cmd.run("ip", "netns", "add", name);
        Ns ns = new Ns(name);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    /** {@code ip -n <ns> ...}; throws unless it exits 0. */
    public String ip(String... args) {
        return Cmd.run(concat(List.of("ip", "-n", name), List.of(args)));
    }

    /** Runs a command inside the namespace, whatever its exit code. */
    public Cmd.Result exec(Duration timeout, String... command) {
        return Cmd.exec(timeout, null, List.of(concat(List.of("ip", "netns", "exec", name), List.of(command))));
    }

    /** Runs a command inside the namespace with extra environment and stdin. */
    public Cmd.Result exec(Duration timeout, String stdin, Map<String, String> env, List<String> command) {
        return Cmd.exec(timeout, stdin, env, List.of(concat(List.of("ip", "netns", "exec", name), command)));
    }

    /** Starts a long-running process inside the namespace, its output appended to {@code log}. */
    public Process spawn(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(concat(List.of("ip", "netns", "exec", name), command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Kills what still runs inside and removes the namespace; quiet when it is already gone. */
    public void delete() {
        NetnsSweeper.delete(name);
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
