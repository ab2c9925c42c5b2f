package dev.weft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Removes test namespaces left by runs that died (killed JVM, power loss). A namespace is a
 * leftover when the pid in its name ({@code wt-<pid>-...}) is no longer alive; namespaces of
 * other live runs are left alone. Processes still inside a leftover were started by that test
 * run, so they are killed by pid before the namespace goes.
 */
public final class NetnsSweeper {
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private NetnsSweeper() {
    }

    /** Sweeps once per JVM. */
    public static void sweepOnce() {
        if (SWEPT.compareAndSet(false, true)) {
            sweep();
        }
    }

    /** Deletes every leftover test namespace; returns how many it removed. */
    public static int sweep() {
        if (!Files.isDirectory(TestNetns.NETNS_DIR)) {
            return 0;
        }
        List<String> leftovers;
        try (Stream<Path> s = Files.list(TestNetns.NETNS_DIR)) {
            leftovers = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(TestNetns.PREFIX))
                    .filter(n -> !ownerAlive(n))
                    .toList();
        } catch (IOException e) {
            return 0;
        }
        for (String n : leftovers) {
            System.err.println("weft tests: removing leftover network namespace " + n);
            delete(n);
        }
        return leftovers.size();
    }

    /** Kills the processes inside a namespace, then deletes it; quiet when it is already gone. */
    public static void delete(String name) {
        Cmd.Result pids = Cmd.exec("ip", "netns", "pids", name);
        if (pids.ok()) {
            pids.stdout().lines().map(String::strip).filter(l -> l.matches("\\d+"))
                    .map(Long::parseLong)
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Cmd.Result r = Cmd.exec("ip", "netns", "del", name);
            if (r.ok() || !Files.exists(TestNetns.NETNS_DIR.resolve(name))) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.err.println("weft tests: could not delete network namespace " + name);
    }

    private static boolean ownerAlive(String name) {
        String[] parts = name.substring(TestNetns.PREFIX.length()).split("-");
        try {
            long pid = Long.parseLong(parts[0]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
