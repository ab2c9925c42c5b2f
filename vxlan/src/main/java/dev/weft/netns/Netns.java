package dev.weft.netns;

import dev.weft.ffi.NamespaceFd;
import dev.weft.ffi.NativeException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle on a network namespace: the caller's own, a named one ({@code ip netns add X}), a
 * process's, or any nsfs file such as the {@code CNI_NETNS} path a container runtime passes.
 * The handle is just the address; nothing is opened until {@link #run} enters it.
 */
public final class Netns {
    /** Where {@code ip netns} keeps its bind mounts. */
    public static final Path NAMED_DIR = Path.of("/var/run/netns");
    private static final Duration ENTER_TIMEOUT = Duration.ofSeconds(30);
    private static final Netns CURRENT = new Netns(null, "current");

    private final Path path;
    private final String label;

    private Netns(Path path, String label) {
        this.path = path;
        this.label = label;
    }

    /** The namespace of whichever thread runs the action: nothing is entered. */
    public static Netns current() {
        return CURRENT;
    }

    /** {@code /var/run/netns/<name>}; the name must be a single path element. */
    public static Netns named(String name) {
        Objects.requireNonNull(name, "namespace name");
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid network namespace name '" + name
                    + "': must be one path element, not '.', '..', and without '/'");
        }
        return new Netns(NAMED_DIR.resolve(name), "netns " + name + " (" + NAMED_DIR.resolve(name) + ")");
    }

    /** {@code /proc/<pid>/ns/net}. */
    public static Netns ofPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("invalid pid " + pid + ": must be positive");
        }
        return new Netns(Path.of("/proc", Long.toString(pid), "ns", "net"), "netns of pid " + pid);
    }

    /** Any namespace file, e.g. a CNI_NETNS path; must be absolute. */
    public static Netns ofPath(Path file) {
        Objects.requireNonNull(file, "namespace path");
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("network namespace path '" + file + "' must be absolute");
        }
        Path normal = file.normalize();
        return new Netns(normal, "netns " + normal);
    }

    /** The namespace file; empty for {@link #current()}. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    public boolean isCurrent() {
        return path == null;
    }

    /** Work that runs inside the namespace. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code action} inside this namespace and returns its result. For a namespace other
     * than the current one, a new platform thread enters it, runs the action and ends; the
     * calling thread never changes namespace. Sockets created by the action stay in the
     * namespace for their whole life, whichever thread uses them afterwards.
     */
    public <T, E extends Exception> T run(Action<T, E> action) throws E, NetnsException {
        if (path == null) {
            return action.run();
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<NativeException> enterFailure = new AtomicReference<>();
        AtomicReference<Throwable> actionFailure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("weft-netns-enter").daemon(true).start(() -> {
            try (NamespaceFd fd = NamespaceFd.open(path)) {
                fd.enterNetwork();
            } catch (NativeException e) {
                enterFailure.set(e);
                return;
            }
            try {
                result.set(action.run());
            } catch (Throwable e) {
                actionFailure.set(e);
            }
        });
        join(t);
        NativeException n = enterFailure.get();
        if (n != null) {
            throw new NetnsException("cannot enter " + label + ": " + n.getMessage(), n.errno(), n);
        }
        return unwrap(result.get(), actionFailure.get());
    }

    private void join(Thread t) throws NetnsException {
        try {
            if (!t.join(ENTER_TIMEOUT)) {
                t.interrupt();
                throw new NetnsException("work inside " + label + " did not finish within " + ENTER_TIMEOUT, 0, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsException("interrupted while working inside " + label, 0, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T, E extends Exception> T unwrap(T result, Throwable failure) throws E {
        if (failure == null) {
            return result;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw (E) failure;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Netns other && Objects.equals(path, other.path);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(path);
    }

    @Override
    public String toString() {
        return label;
    }
}
