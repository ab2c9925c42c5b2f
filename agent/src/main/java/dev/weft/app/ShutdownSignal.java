package dev.weft.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Tells the agent to stop. {@link #onTermAndInt()} handles SIGTERM and SIGINT itself instead of
 * leaving them to the JVM's shutdown hooks: that way the agent stops its loops, leaves the data
 * plane in place, returns normally and {@link Main} exits 0, as a DaemonSet rollout expects
 * (the JVM's default would exit 143).
 */
public final class ShutdownSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignal.class);

    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile String reason;

    /** A signal only {@link #trigger} fires (tests, embedding). */
    public ShutdownSignal() {
    }

    /** A signal fired by SIGTERM or SIGINT. */
    public static ShutdownSignal onTermAndInt() {
        ShutdownSignal s = new ShutdownSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> s.trigger("SIG" + sig.getName()));
        }
        return s;
    }

    /** Fires the signal; the first reason is kept. */
    public void trigger(String why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
                LOG.info("shutting down: {}", why);
            }
        }
        latch.countDown();
    }

    /** Blocks until fired. */
    public void await() throws InterruptedException {
        latch.await();
    }

    /** Blocks until fired or {@code timeout} passes; true when fired. */
    public boolean await(Duration timeout) throws InterruptedException {
        return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why it fired, once it has. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
