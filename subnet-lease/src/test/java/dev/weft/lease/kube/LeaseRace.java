package dev.weft.lease.kube;

import dev.weft.lease.Backoff;
import dev.weft.lease.NetConf;
import dev.weft.lease.NodeLease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Many agents, each with its own client, released at the same instant to lease a subnet, each retrying exactly as
 * the agent does: one {@link SubnetLeaser#tryAcquire()} per pass, a {@link Backoff} delay between passes, until it
 * has a lease or a POOL_EXHAUSTED. Bounded by a deadline.
 */
final class LeaseRace {
  private LeaseRace() {}

  static LeaseScenarios.RaceResult run(Supplier<KubernetesClient> clients, KubernetesClient admin, String namespace,
      NetConf conf, int agents, Duration deadline) throws Exception {
    List<SubnetLeaser> leasers = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String name = String.format("agent-%03d", i);
      TestNodes.create(admin, name);
      leasers.add(new SubnetLeaser(clients.get(), name, conf, namespace));
    }
    Map<String, NodeLease> winners = new ConcurrentHashMap<>();
    List<LeaseAttempt.Failed> exhausted = new CopyOnWriteArrayList<>();
    AtomicLong attempts = new AtomicLong();
    AtomicLong contended = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    long end = System.nanoTime() + deadline.toNanos();
    long started;
    try (var pool = Executors.newFixedThreadPool(Math.min(agents, 256))) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        String name = String.format("agent-%03d", i);
        SubnetLeaser leaser = leasers.get(i);
        futures.add(pool.submit(() -> {
          go.await();
          Backoff backoff = LeaseScenarios.fastBackoff();
          while (System.nanoTime() < end) {
            attempts.incrementAndGet();
            LeaseAttempt a = leaser.tryAcquire();
            if (a instanceof LeaseAttempt.Acquired ok) {
              winners.put(name, ok.lease());
              return null;
            }
            LeaseAttempt.Failed f = (LeaseAttempt.Failed) a;
            if (f.kind() == LeaseFailure.POOL_EXHAUSTED) {
              exhausted.add(f);
              return null;
            }
            if (f.kind() == LeaseFailure.CONTENDED) {
              contended.incrementAndGet();
            }
            Thread.sleep(backoff.nextDelay()); // the agent requeues with this delay; a test thread may simply wait
          }
          return null;
        }));
      }
      started = System.nanoTime();
      go.countDown();
      for (Future<?> f : futures) {
        f.get(deadline.toMillis() + 10_000, TimeUnit.MILLISECONDS);
      }
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - started);
    long conflicts = leasers.stream().mapToLong(SubnetLeaser::conflicts).sum();
    return new LeaseScenarios.RaceResult(winners, exhausted, wall, conflicts, attempts.get(), contended.get());
  }
}
