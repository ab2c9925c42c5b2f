package dev.weft.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-writer reconcile loop of DESIGN.md. One named platform thread runs every pass, so
 * every kernel and API write happens on it. Other threads (informer callbacks, the netlink
 * monitor, timers) only call {@link #trigger}: that marks the loop dirty and wakes it; triggers
 * arriving while a pass runs are coalesced into exactly one following pass.
 * <p>
 * A pass runs when triggered, when the delay it asked for with a requeue has passed, or when
 * {@code resyncPeriod} has gone by since the last pass ended (the level-triggered safety net). A
 * pass that throws is counted and retried after an exponential {@link Backoff}; nothing a pass
 * throws ends the loop except a {@link VirtualMachineError}, after which the process is not
 * trustworthy and liveness should fail. The thread wakes at least every {@code heartbeatInterval}
 * to record that it is alive; a pass that hangs stops the heartbeat, which {@link #alive} reports.
 *
 * @param <S> the state a pass publishes
 */
public final class ReconcileLoop<S> implements AutoCloseable {
    /** Distinct trigger reasons kept per pass; beyond this only the count grows. */
    public static final int MAX_REASONS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
    private static final long NONE = Long.MIN_VALUE;

    private final ReconcilePass<S> pass;
    private final Duration resyncPeriod;
    private final Duration heartbeatInterval;
    private final Backoff backoff;
    private final PassObserver observer;
    private final Thread thread;
    // Loop-thread confined: the last failure logged, so a failure repeating every backoff logs once.
    private String loggedError = "";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // Guarded by lock.
    private final Set<String> reasons = new LinkedHashSet<>();
    private long triggers;
    private boolean dirty;
    private long requeueAt = NONE;
    private long resyncAt;
    private boolean stopping;
    private boolean started;

    private volatile LoopStatus<S> status = LoopStatus.initial();
    private volatile long heartbeat = System.nanoTime();

    /**
     * @param name              the thread's name (shows in thread dumps and log lines)
     * @param pass              the work
     * @param resyncPeriod      maximum time between passes when nothing triggers
     * @param heartbeatInterval maximum time the idle thread sleeps without refreshing its heartbeat
     * @param backoff           retry delays after failed passes
     * @param observer          told about every pass (metrics)
     */
    public ReconcileLoop(String name, ReconcilePass<S> pass, Duration resyncPeriod, Duration heartbeatInterval,
                         Backoff backoff, PassObserver observer) {
        this.pass = Objects.requireNonNull(pass, "pass");
        this.resyncPeriod = positive(resyncPeriod, "resyncPeriod");
        this.heartbeatInterval = positive(heartbeatInterval, "heartbeatInterval");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    /** A loop with a 1 s heartbeat, the default backoff and no observer. */
    public ReconcileLoop(String name, ReconcilePass<S> pass, Duration resyncPeriod) {
        this(name, pass, resyncPeriod, Duration.ofSeconds(1), Backoff.DEFAULT, PassObserver.NONE);
    }

    /** Starts the thread; the first pass runs at once with reason {@link PassContext#START}. */
    public void start() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("loop already started");
            }
            started = true;
            dirty = true;
            resyncAt = System.nanoTime() + resyncPeriod.toNanos();
            reasons.add(PassContext.START);
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    /** Asks for a pass soon; cheap and non-blocking enough to call from any event thread. Ignored once stopping. */
    public void trigger(String reason) {
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            dirty = true;
            triggers++;
            if (reasons.size() < MAX_REASONS) {
                reasons.add(reason);
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The latest snapshot. */
    public LoopStatus<S> status() {
        return status;
    }

    /** True while the thread runs and has recorded a heartbeat within {@code bound}. */
    public boolean alive(Duration bound) {
        return thread.isAlive() && status.running() && System.nanoTime() - heartbeat <= bound.toNanos();
    }

    /** The loop thread's name. */
    public String name() {
        return thread.getName();
    }

    /**
     * Stops the loop: no new pass starts; a pass in progress may finish within {@code bound}, after
     * which the thread is interrupted. Returns true when the thread ended within the bound.
     */
    public boolean stop(Duration bound) {
        lock.lock();
        try {
            stopping = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        if (!thread.isAlive()) {
            return true;
        }
        try {
            if (thread.join(bound)) {
                return true;
            }
            thread.interrupt();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            return false;
        }
    }

    /** {@link #stop} with a 5 s bound, the agent's shutdown budget. */
    @Override
    public void close() {
        if (!stop(Duration.ofSeconds(5))) {
            LOG.warn("reconcile loop {} did not stop within 5s", thread.getName());
        }
    }

    private void run() {
        try {
            PassContext ctx;
            while ((ctx = awaitWork()) != null) {
                runPass(ctx);
            }
        } finally {
            status = status.stopped();
        }
    }

    /** Blocks until a pass is due; returns null when stopping. */
    private PassContext awaitWork() {
        lock.lock();
        try {
            while (true) {
                heartbeat = System.nanoTime();
                if (stopping) {
                    return null;
                }
                long now = System.nanoTime();
                boolean requeueDue = requeueAt != NONE && now - requeueAt >= 0;
                boolean resyncDue = now - resyncAt >= 0;
                if (dirty || requeueDue || resyncDue) {
                    return take(requeueDue, resyncDue);
                }
                long wait = heartbeatInterval.toNanos();
                if (requeueAt != NONE) {
                    wait = Math.min(wait, requeueAt - now);
                }
                wait = Math.min(wait, resyncAt - now);
                try {
                    wake.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // Only stop() interrupts, and it sets stopping first; anything else is spurious.
                    if (stopping) {
                        return null;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private PassContext take(boolean requeueDue, boolean resyncDue) {
        Set<String> why = new LinkedHashSet<>(reasons);
        if (requeueDue) {
            why.add(PassContext.REQUEUE);
        }
        if (resyncDue) {
            why.add(PassContext.RESYNC);
        }
        PassContext ctx = new PassContext(status.passes() + 1, why, triggers);
        reasons.clear();
        triggers = 0;
        dirty = false;
        // A pending requeue is superseded: this pass sees the whole state and asks again if it must.
        requeueAt = NONE;
        return ctx;
    }

    private void runPass(PassContext ctx) {
        long start = System.nanoTime();
        PassResult<S> result = null;
        Throwable failure = null;
        try {
            result = pass.run(ctx);
            Objects.requireNonNull(result, "a reconcile pass returned null");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            failure = t;
        }
        if (Thread.interrupted() && !isStopping()) {
            LOG.debug("cleared a stray interrupt left by reconcile pass {}", ctx.pass());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        publish(ctx, result, failure, took);
        try {
            observer.passFinished(new PassReport(ctx, took, Optional.ofNullable(failure)));
        } catch (RuntimeException e) {
            LOG.warn("pass observer failed", e);
        }
    }

    private void publish(PassContext ctx, PassResult<S> result, Throwable failure, Duration took) {
        LoopStatus<S> old = status;
        long consecutive = failure == null ? 0 : old.consecutiveFailures() + 1;
        Optional<Duration> again = failure == null ? result.requeue() : Optional.of(backoff.delay(consecutive));
        String error = failure == null ? "" : describe(failure);
        logTransition(ctx, error, failure, again);
        status = new LoopStatus<>(failure == null ? Optional.of(result.state()) : old.state(),
                old.passes() + 1, old.failures() + (failure == null ? 0 : 1), consecutive,
                failure == null ? Optional.empty() : Optional.of(error), Optional.of(Instant.now()),
                Optional.of(took), true);
        lock.lock();
        try {
            long now = System.nanoTime();
            heartbeat = now;
            resyncAt = now + resyncPeriod.toNanos();
            again.ifPresent(d -> requeueAt = now + d.toNanos());
        } finally {
            lock.unlock();
        }
    }

    private void logTransition(PassContext ctx, String error, Throwable failure, Optional<Duration> again) {
        if (error.equals(loggedError)) {
            if (failure != null) {
                LOG.debug("reconcile pass {} failed again: {}", ctx.pass(), error);
            }
            return;
        }
        if (failure == null) {
            LOG.info("reconcile passes succeed again (pass {})", ctx.pass());
        } else {
            LOG.warn("reconcile pass {} failed, retrying in {}: {}", ctx.pass(), again.orElseThrow(), error, failure);
        }
        loggedError = error;
    }

    private boolean isStopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

}
