package dev.weft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace created for one test and removed after it, with the processes started in
 * it. Names are {@code wt-<pid>-<seq>[-hint]}: the creating JVM's pid lets the sweeper tell a
 * leftover of a crashed run from a namespace another live test run is using.
 */
public final class TestNetns implements AutoCloseable {
    public static final String PREFIX = "wt-";
    public static final Path NETNS_DIR = Path.of("/var/run/netns");

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Set<TestNetns> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("weft-netns-cleanup").unstarted(() -> {
            for (TestNetns ns : List.copyOf(LIVE)) {
                ns.close();
            }
        }));
    }

    private final String name;
    private final List<Process> processes = new ArrayList<>();
    private volatile boolean closed;

    private TestNetns(String name) {
        this.name = name;
    }

    /** Creates a fresh namespace with loopback up. {@code hint} (letters, digits) only helps humans. */
    public static TestNetns create(String hint) {
        NetnsSweeper.sweepOnce();
        String suffix = hint == null || hint.isEmpty() ? "" : "-" + hint.replaceAll("[^A-Za-z0-9]", "");
        String name = PREFIX + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + suffix;
        Cmd.run("ip", "netns", "add", name);
        TestNetns ns = new TestNetns(name);
        LIVE.add(ns);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The bind-mounted namespace file, as {@code ip netns} keeps it. */
    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    /** {@code ip -n <ns> args...}; throws unless it exits 0. */
    public String ip(String... args) {
        return Cmd.run(prepend(List.of("ip", "-n", name), args));
    }

    /** {@code ip -n <ns> args...}, result whatever the exit code. */
    public Cmd.Result ipResult(String... args) {
        return Cmd.exec(prepend(List.of("ip", "-n", name), args));
    }

    /** {@code bridge -n <ns> args...}; throws unless it exits 0. */
    public String bridge(String... args) {
        return Cmd.run(prepend(List.of("bridge", "-n", name), args));
    }

    /** Runs a command inside the namespace; throws unless it exits 0. */
    public String exec(String... command) {
        return Cmd.run(prepend(List.of("ip", "netns", "exec", name), command));
    }

    /** Runs a command inside the namespace, result whatever the exit code. */
    public Cmd.Result execResult(Duration timeout, String... command) {
        return Cmd.exec(timeout, null, List.of(prepend(List.of("ip", "netns", "exec", name), command)));
    }

    /** Starts a long-running process inside the namespace; it is killed when the namespace closes. */
    public synchronized Process start(ProcessBuilder builder) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(builder.command());
        Process p = builder.command(cmd).start();
        processes.add(p);
        awaitEntered(p);
        return p;
    }

    /**
     * Until {@code ip netns exec} has called setns, the new process is still in the caller's
     * namespace: a test that looks at it by PID would see the wrong one. Waits (at most 5 s) until
     * its {@code /proc/<pid>/ns/net} is this namespace, or it has exited.
     */
    private void awaitEntered(Process p) throws IOException {
        Object want = Files.getAttribute(path(), "unix:ino");
        Path ns = Path.of("/proc", Long.toString(p.pid()), "ns", "net");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                if (Files.readSymbolicLink(ns).toString().equals("net:[" + want + "]")) {
                    return;
                }
                Thread.sleep(5);
            } catch (NoSuchFileException e) {
                return; // exited between the checks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for pid " + p.pid() + " to enter " + name, e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> started;
        synchronized (this) {
            started = List.copyOf(processes);
        }
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        NetnsSweeper.delete(name);
        LIVE.remove(this);
    }

    @Override
    public String toString() {
        return name;
    }

    private static String[] prepend(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
