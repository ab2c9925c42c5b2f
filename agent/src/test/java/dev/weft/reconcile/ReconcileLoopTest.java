package dev.weft.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's contract, checked with latches and bounded waits: every wait has a deadline, and no
 * assertion depends on how fast this machine is.
 */
class ReconcileLoopTest {
    static final Duration LONG = Duration.ofHours(1);
    static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<PassContext> seen = new LinkedBlockingQueue<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    ReconcileLoop<String> loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            assertThat(loop.stop(WAIT)).as("loop stops").isTrue();
        }
    }

    /** A pass that records its context and thread, then runs {@code body}. */
    ReconcilePass<String> recording(ReconcilePass<String> body) {
        return ctx -> {
            threads.add(Thread.currentThread().getName());
            seen.add(ctx);
            return body.run(ctx);
        };
    }

    PassContext next() throws InterruptedException {
        PassContext c = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).as("a pass within %s", WAIT).isNotNull();
        return c;
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for: " + what).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Test
    void firstPassRunsAtStartOnTheNamedThreadAndPublishesState() throws Exception {
        loop = new ReconcileLoop<>("weft-reconcile-test", recording(ctx -> PassResult.done("state-" + ctx.pass())), LONG);
        assertThat(loop.status().state()).isEmpty();
        loop.start();
        PassContext first = next();
        assertThat(first.pass()).isEqualTo(1);
        assertThat(first.reasons()).containsExactly(PassContext.START);
        await(() -> loop.status().passes() == 1, "status after pass 1");
        assertThat(loop.status().state()).contains("state-1");
        assertThat(loop.status().lastPassFinished()).isPresent();
        assertThat(threads).containsOnly("weft-reconcile-test");
    }

    @Test
    void triggersDuringAPassCoalesceIntoExactlyOneFollowingPass() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop = new ReconcileLoop<>("coalesce", recording(ctx -> {
            if (ctx.pass() == 1) {
                inFirst.countDown();
                assertThat(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            }
            return PassResult.done("ok");
        }), LONG);
        loop.start();
        assertThat(inFirst.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (int i = 0; i < 100; i++) {
            loop.trigger(i % 2 == 0 ? "node-update" : "netlink");
        }
        release.countDown();
        next();
        PassContext second = next();
        assertThat(second.pass()).isEqualTo(2);
        assertThat(second.triggers()).isEqualTo(100);
        assertThat(second.reasons()).containsExactly("node-update", "netlink");
        // If the 100 triggers had produced more passes, pass 3 would not be the marker's.
        loop.trigger("marker");
        PassContext third = next();
        assertThat(third.pass()).isEqualTo(3);
        assertThat(third.reasons()).containsExactly("marker");
        assertThat(third.triggers()).isEqualTo(1);
    }

    @Test
    void noTriggerIsLostUnderConcurrentTriggering() throws Exception {
        AtomicInteger counted = new AtomicInteger();
        CountDownLatch marker = new CountDownLatch(1);
        loop = new ReconcileLoop<>("concurrent", ctx -> {
            counted.addAndGet((int) ctx.triggers());
            if (ctx.reasons().contains("marker")) {
                marker.countDown();
            }
            return PassResult.done("ok");
        }, LONG);
        loop.start();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    loop.trigger("t");
                }
            }));
        }
        for (Thread t : ts) {
            assertThat(t.join(WAIT)).isTrue();
        }
        loop.trigger("marker");
        assertThat(marker.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(counted.get()).isEqualTo(8001);
        assertThat(loop.status().passes()).isLessThanOrEqualTo(8002);
    }

    @Test
    void requeueRunsThePassAgainAfterTheDelayWithoutATrigger() throws Exception {
        Duration delay = Duration.ofMillis(80);
        loop = new ReconcileLoop<>("requeue", recording(ctx -> ctx.pass() == 1
                ? PassResult.requeueAfter("waiting", delay) : PassResult.done("done")), LONG);
        long start = System.nanoTime();
        loop.start();
        next();
        PassContext again = next();
        assertThat(again.reasons()).containsExactly(PassContext.REQUEUE);
        assertThat(again.triggers()).isZero();
        // A lower bound only: the pass may come late on a slow machine, never early.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
        await(() -> loop.status().state().orElse("").equals("done"), "state after requeue");
    }

    @Test
    void aTriggerSupersedesAPendingRequeue() throws Exception {
        loop = new ReconcileLoop<>("supersede", recording(ctx -> ctx.pass() == 1
                ? PassResult.requeueAfter("x", LONG) : PassResult.done("y")), LONG);
        loop.start();
        next();
        loop.trigger("event");
        assertThat(next().reasons()).containsExactly("event");
    }

    @Test
    void resyncTimerRunsPassesWhenNothingTriggers() throws Exception {
        loop = new ReconcileLoop<>("resync", recording(ctx -> PassResult.done("ok")), Duration.ofMillis(30));
        loop.start();
        assertThat(next().reasons()).containsExactly(PassContext.START);
        for (int i = 0; i < 3; i++) {
            PassContext c = next();
            assertThat(c.resync()).isTrue();
            assertThat(c.reasons()).containsExactly(PassContext.RESYNC);
        }
    }

    @Test
    void failingPassesNeverKillTheLoopAndAreRetriedWithBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        loop = new ReconcileLoop<>("failing", recording(ctx -> switch (calls.incrementAndGet()) {
            case 1 -> throw new IllegalStateException("API unreachable\nsecond line");
            case 2 -> throw new AssertionError("a bug");
            case 3 -> throw new Exception("checked");
            default -> PassResult.done("recovered");
        }), LONG, Duration.ofSeconds(1), new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), PassObserver.NONE);
        loop.start();
        next();
        await(() -> loop.status().failures() >= 1, "first failure recorded");
        for (int i = 0; i < 3; i++) {
            assertThat(next().reasons()).contains(PassContext.REQUEUE);
        }
        await(() -> loop.status().state().isPresent(), "recovery");
        LoopStatus<String> s = loop.status();
        assertThat(s.state()).contains("recovered");
        assertThat(s.failures()).isEqualTo(3);
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(s.lastError()).isEmpty();
        assertThat(s.running()).isTrue();
    }

    @Test
    void failureKeepsThePreviousStateAndRecordsTheError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        loop = new ReconcileLoop<>("keep", ctx -> {
            if (calls.incrementAndGet() == 2) {
                failed.countDown();
                throw new IllegalStateException("netlink: EPERM");
            }
            return calls.get() == 1 ? PassResult.done("good") : PassResult.requeueAfter("later", LONG);
        }, LONG, Duration.ofSeconds(1), new Backoff(Duration.ofHours(1), Duration.ofHours(1)), PassObserver.NONE);
        loop.start();
        await(() -> loop.status().passes() == 1, "first pass");
        loop.trigger("x");
        assertThat(failed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await(() -> loop.status().failures() == 1, "failure recorded");
        assertThat(loop.status().state()).contains("good");
        assertThat(loop.status().lastError()).contains("IllegalStateException: netlink: EPERM");
        assertThat(loop.status().consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void observerSeesEveryPassAndItsFailuresDoNotHurtTheLoop() throws Exception {
        List<PassReport> reports = new CopyOnWriteArrayList<>();
        loop = new ReconcileLoop<>("observed", recording(ctx -> PassResult.done("s")), LONG, Duration.ofSeconds(1),
                Backoff.DEFAULT, r -> {
                    reports.add(r);
                    throw new IllegalStateException("observer bug");
                });
        loop.start();
        next();
        loop.trigger("again");
        next();
        await(() -> reports.size() == 2, "two reports");
        assertThat(reports).allMatch(PassReport::ok);
        assertThat(reports.get(1).context().reasons()).containsExactly("again");
        assertThat(reports.get(0).duration()).isPositive();
    }

    @Test
    void stopIsPromptWhenIdleAndLaterTriggersAreIgnored() throws Exception {
        loop = new ReconcileLoop<>("idle", recording(ctx -> PassResult.done("s")), LONG);
        loop.start();
        next();
        assertThat(loop.stop(WAIT)).isTrue();
        assertThat(loop.status().running()).isFalse();
        assertThat(loop.alive(LONG)).isFalse();
        loop.trigger("after-stop");
        assertThat(seen.poll(50, TimeUnit.MILLISECONDS)).isNull();
        assertThat(loop.stop(WAIT)).as("stop twice").isTrue();
    }

    @Test
    void stopIsBoundedWhenAPassHangsAndInterruptsIt() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        loop = new ReconcileLoop<>("hung", ctx -> {
            inPass.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return PassResult.done("never");
        }, LONG);
        loop.start();
        assertThat(inPass.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(loop.stop(Duration.ofMillis(50))).isFalse();
        assertThat(interrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await(() -> !loop.status().running(), "thread ends after the interrupt");
    }

    @Test
    void aliveFollowsTheHeartbeatAndAHungPassStopsIt() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop = new ReconcileLoop<>("heartbeat", ctx -> {
            if (ctx.pass() == 2) {
                inPass.countDown();
                assertThat(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            }
            return PassResult.done("s");
        }, LONG, Duration.ofMillis(10), Backoff.DEFAULT, PassObserver.NONE);
        assertThat(loop.alive(LONG)).as("not started").isFalse();
        loop.start();
        // Wait for pass 1 to finish, or the trigger would coalesce into it.
        await(() -> loop.status().passes() == 1, "first pass");
        await(() -> loop.alive(Duration.ofSeconds(5)), "alive while idle");
        loop.trigger("block");
        assertThat(inPass.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await(() -> !loop.alive(Duration.ofMillis(30)), "heartbeat goes stale during a hung pass");
        release.countDown();
        await(() -> loop.alive(Duration.ofMillis(500)), "alive again after the pass");
    }

    @Test
    void startingTwiceIsRefused() {
        loop = new ReconcileLoop<>("twice", ctx -> PassResult.done("s"), LONG);
        loop.start();
        org.assertj.core.api.Assertions.assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class);
    }
}
