package dev.weft.lease.kube;

import dev.weft.lease.Backend;
import dev.weft.lease.Backoff;
import dev.weft.lease.NetConf;
import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.PeerParser.PeerRecord;
import dev.weft.net.IpPrefix;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer discovery: every other Node with {@code kube-subnet-manager: "true"} and valid data, whether weft or flanneld
 * wrote it. Unlike an informer it keeps no Node objects, only a compact {@link PeerInfo} (or a problem) per node, so
 * thousands of nodes cost a few hundred bytes each.
 *
 * <p>One thread ({@code weft-peer-watch}) lists the Nodes page by page (streamed, see {@link NodeLister}; each page
 * is in {@link #peers()} as it arrives, and a list slower than {@link #PAGE_NEWS_EVERY} tells the listener of its
 * pages as it goes, so the data plane need not wait for the last one), then watches from the list's
 * resourceVersion. When the watch ends at its requested timeout it continues from the last resourceVersion seen;
 * when it fails (connection lost, HTTP 410 Gone, no end after the timeout) the thread backs off and lists again, so
 * whatever changed during an outage is picked up. fabric8's own silent reconnects are switched off for this watch
 * so every restart is seen, counted and backed off here.
 */
public final class PeerWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerWatcher.class);

  /**
   * Tunables; {@link #defaults()} suits production.
   *
   * @param pageSize Nodes per LIST page
   * @param watchTimeout how long one watch request runs before the server ends it
   * @param minBackoff first retry delay after a failure
   * @param maxBackoff longest retry delay
   * @param network when present, a peer's IPv4 subnet must lie inside it
   * @param ipv6Network when present, a peer's IPv6 subnet must lie inside it, else its IPv6 part is dropped
   * @param backendType the local backend ({@code vxlan} or {@code host-gw}): a Node of another type is not a peer
   *     this node can reach, and is reported invalid, as flanneld ignores it
   * @param ipv4 false on an IPv6-only cluster: a peer is then its IPv6 part, which it must have
   */
  public record Options(long pageSize, Duration watchTimeout, Duration minBackoff, Duration maxBackoff, Optional<IpPrefix> network,
      Optional<IpPrefix> ipv6Network, String backendType, boolean ipv4) {
    public Options {
      if (pageSize < 1 || watchTimeout.toSeconds() < 1) {
        throw new IllegalArgumentException("pageSize and watchTimeout (whole seconds) must be positive");
      }
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(ipv6Network, "ipv6Network");
      Objects.requireNonNull(backendType, "backendType");
    }

    /** Options for a cluster that runs IPv4. */
    public Options(long pageSize, Duration watchTimeout, Duration minBackoff, Duration maxBackoff, Optional<IpPrefix> network,
        Optional<IpPrefix> ipv6Network, String backendType) {
      this(pageSize, watchTimeout, minBackoff, maxBackoff, network, ipv6Network, backendType, true);
    }

    /** Options for the vxlan backend without an IPv6 subnet check. */
    public Options(long pageSize, Duration watchTimeout, Duration minBackoff, Duration maxBackoff, Optional<IpPrefix> network) {
      this(pageSize, watchTimeout, minBackoff, maxBackoff, network, Optional.empty(), Backend.VXLAN);
    }

    /** Options for the vxlan backend. */
    public Options(long pageSize, Duration watchTimeout, Duration minBackoff, Duration maxBackoff, Optional<IpPrefix> network,
        Optional<IpPrefix> ipv6Network) {
      this(pageSize, watchTimeout, minBackoff, maxBackoff, network, ipv6Network, Backend.VXLAN);
    }

    /** These options, for peers of {@code type} ({@code vxlan} or {@code host-gw}). */
    public Options withBackendType(String type) {
      return new Options(pageSize, watchTimeout, minBackoff, maxBackoff, network, ipv6Network, type, ipv4);
    }

    /** Pages of 500, 5-minute watches, backoff 1 s to 30 s, no subnet check. */
    public static Options defaults() {
      return new Options(Pages.PAGE_SIZE, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(30), Optional.empty());
    }

    /** These options, requiring peer IPv4 subnets inside {@code cluster}. */
    public Options withNetwork(IpPrefix cluster) {
      return new Options(pageSize, watchTimeout, minBackoff, maxBackoff, Optional.of(cluster), ipv6Network, backendType, ipv4);
    }

    /** These options, requiring peer IPv6 subnets inside {@code cluster} (net-conf.json's IPv6Network). */
    public Options withIpv6Network(IpPrefix cluster) {
      if (!cluster.isIpv6()) {
        throw new IllegalArgumentException("IPv6Network must be an IPv6 prefix: " + cluster);
      }
      return new Options(pageSize, watchTimeout, minBackoff, maxBackoff, network, Optional.of(cluster), backendType, ipv4);
    }

    /**
     * These options for the cluster of {@code conf}: its families, both cluster networks ({@code Network} and
     * {@code IPv6Network}, when set) and its backend type.
     */
    public Options withNetworks(NetConf conf) {
      Options o = new Options(pageSize, watchTimeout, minBackoff, maxBackoff, conf.network(), ipv6Network, backendType,
          conf.enableIpv4()).withBackendType(conf.backend().type());
      return conf.ipv6Network().map(o::withIpv6Network).orElse(o);
    }
  }

  /** How long a list runs before its pages are news for the data plane, and how often after that ({@link PageNews}). */
  static final Duration PAGE_NEWS_EVERY = Duration.ofSeconds(1);

  /** How a watch ended: closed by the server or broken, 410 Gone, open long after its timeout, or closed by us. */
  private enum End { FAILED, GONE, STUCK, CLOSED }

  private final KubernetesClient client;
  private final KubernetesClient watchClient;
  private final String selfNode;
  private final PeerListener listener;
  private final Options options;
  private final PeerParser parser;
  private final NodeLister lister;
  private final PeerTable table = new PeerTable();
  private final CountDownLatch syncedLatch = new CountDownLatch(1);
  private final AtomicLong watchRestarts = new AtomicLong();
  private final AtomicLong relists = new AtomicLong();
  /**
   * A listed page changed the peers and the listener has not been told; kept across lists (watch thread only), so a
   * list that fails half-way still gets its pages told by the next one.
   */
  private boolean pagesUntold;
  private final AtomicLong objectsRead = new AtomicLong();
  private final AtomicLong invalidPeerWarnings = new AtomicLong();
  private final AtomicLong generation = new AtomicLong();
  private final Object sleeper = new Object();
  private volatile String resourceVersion;
  private volatile CompletableFuture<End> currentWatch = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile Boolean connected;
  private Thread thread;

  public PeerWatcher(KubernetesClient client, String selfNode, AnnotationKeys keys, int vni, PeerListener listener) {
    this(client, selfNode, keys, vni, listener, Options.defaults());
  }

  public PeerWatcher(KubernetesClient client, String selfNode, AnnotationKeys keys, int vni, PeerListener listener,
      Options options) {
    this.client = Objects.requireNonNull(client, "client");
    this.selfNode = Objects.requireNonNull(selfNode, "selfNode");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.options = Objects.requireNonNull(options, "options");
    this.parser = new PeerParser(keys, vni, options.network(), options.ipv6Network(), options.backendType(), options.ipv4());
    this.lister = new NodeLister(client, options.pageSize(), keys.prefix() + "/");
    // reconnect limit 0: a broken watch is reported to us instead of being retried silently by the client
    this.watchClient = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withWatchReconnectLimit(0).build()).adapt(KubernetesClient.class);
  }

  /** Starts the list-and-watch thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = Thread.ofPlatform().daemon().name("weft-peer-watch").start(this::run);
  }

  /**
   * The current peers by node name; an immutable snapshot. Before {@link #synced()} it holds the peers of the pages of
   * the first list read so far.
   */
  public Map<String, PeerInfo> peers() {
    return table.peers();
  }

  /** Nodes that claim to be peers but are skipped, with the reason; an immutable snapshot. */
  public Map<String, String> invalidPeers() {
    return table.invalid();
  }

  /** Peers kept for IPv4 whose IPv6 part was dropped, with the reason; an immutable snapshot. */
  public Map<String, String> ipv6Problems() {
    return table.ipv6Problems();
  }

  /** True once the first full list has been read: before that, "no peers" means "not known yet". */
  public boolean synced() {
    return syncedLatch.getCount() == 0;
  }

  /** Waits up to {@code timeout} for {@link #synced()}; for tools and tests, never for the reconcile thread. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return syncedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Times the watch had to be started again (after a timeout, a failure or 410 Gone). */
  public long watchRestarts() {
    return watchRestarts.get();
  }

  /** Full LISTs done, the first included. */
  public long relists() {
    return relists.get();
  }

  /** Node objects read from lists and watch events. */
  public long objectsRead() {
    return objectsRead.get();
  }

  /** Warnings issued about invalid peers: one per node and distinct problem. */
  public long invalidPeerWarnings() {
    return invalidPeerWarnings.get();
  }

  private void run() {
    Backoff backoff = new Backoff(options.minBackoff(), options.maxBackoff(), RandomGenerator.getDefault());
    boolean needList = true;
    while (!closed) {
      if (needList) {
        try {
          relist();
          needList = false;
        } catch (RuntimeException e) { // API errors and anything unexpected alike: back off, never die
          disconnected("listing Nodes failed: " + describe(e));
          pause(backoff.nextDelay());
          continue;
        }
      }
      long started = System.nanoTime();
      End end = watchOnce();
      if (end == End.CLOSED || closed) {
        return;
      }
      watchRestarts.incrementAndGet();
      if (end == End.GONE || end == End.STUCK) {
        needList = true; // the resourceVersion is too old or the stream is not to be trusted: list again now
        continue;
      }
      Duration lived = Duration.ofNanos(System.nanoTime() - started);
      if (lived.compareTo(options.watchTimeout().multipliedBy(9).dividedBy(10)) >= 0) {
        backoff.reset(); // a full-length watch: the server ended the request, continue where it stopped
        continue;
      }
      needList = true; // cut short: the connection broke, and events may have been missed meanwhile
      disconnected("the Node watch broke after " + lived.toSeconds() + " s");
      pause(backoff.nextDelay());
    }
  }

  /**
   * One paginated list of the Nodes, no watch: fills {@link #peers()} and {@link #invalidPeers()} for one-shot readers
   * such as {@code weft status}. Call it instead of {@link #start()}.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API cannot be listed
   */
  public void listOnce() {
    relist();
  }

  private void relist() {
    long started = System.nanoTime();
    long readBefore = objectsRead.get();
    Map<String, PeerRecord> all = new HashMap<>();
    PageNews news = new PageNews(PAGE_NEWS_EVERY, started);
    String rv = lister.forEachPage(page -> {
      Map<String, PeerRecord> records = new HashMap<>();
      for (NodeLister.Fields n : page) {
        objectsRead.incrementAndGet();
        if (!n.name().isEmpty() && !selfNode.equals(n.name())) {
          records.put(n.name(), parser.parse(n.name(), n.annotations(), n.podCidrs()));
        }
      }
      all.putAll(records);
      // peers() has each page at once; the data plane hears of it when the list is slow (PageNews)
      PeerTable.Change change = table.putAll(records);
      pagesUntold |= change.peersChanged();
      boolean announce = pagesUntold && news.due(System.nanoTime());
      handle(change, announce, announce);
      if (announce) {
        pagesUntold = false;
      }
    });
    resourceVersion = rv;
    relists.incrementAndGet();
    PeerTable.Change change = table.replaceAll(all);
    boolean first = !synced();
    syncedLatch.countDown();
    LOG.info("listed {} Nodes in {} ms: {} peers, {} skipped", objectsRead.get() - readBefore,
        (System.nanoTime() - started) / 1_000_000, table.peers().size(), table.invalid().size());
    // after the first list the peer set is complete, which is news even when nothing changed; so are pages not told yet
    handle(change, first || pagesUntold);
    pagesUntold = false;
  }

  private End watchOnce() {
    long gen = generation.incrementAndGet();
    CompletableFuture<End> ended = new CompletableFuture<>();
    currentWatch = ended;
    Watch watch;
    try {
      watch = watchClient.nodes().watch(new ListOptionsBuilder()
          .withResourceVersion(resourceVersion)
          .withAllowWatchBookmarks(true)
          .withTimeoutSeconds(options.watchTimeout().toSeconds())
          .build(), new NodeWatcher(gen, ended));
    } catch (RuntimeException e) {
      if (e instanceof KubernetesClientException k && k.getCode() == 410) {
        return End.GONE; // the list's resourceVersion is already compacted away: list again, no backoff
      }
      disconnected("watching Nodes failed: " + describe(e));
      return End.FAILED;
    }
    try {
      if (closed) {
        return End.CLOSED;
      }
      connected("watching Nodes from resourceVersion " + resourceVersion);
      // the server ends the request at watchTimeout; a watch still open well after that is stuck
      return ended.get(options.watchTimeout().plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Node watch did not end {} after its timeout; listing again", Duration.ofSeconds(30));
      return End.STUCK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return End.CLOSED;
    } catch (ExecutionException e) {
      return End.FAILED;
    } finally {
      watch.close();
    }
  }

  private PeerRecord parse(Node n) {
    return parser.parse(n.getMetadata().getName(), n.getMetadata().getAnnotations(), PodCidrs.raw(n));
  }

  private void handle(PeerTable.Change change) {
    handle(change, false);
  }

  private void handle(PeerTable.Change change, boolean peersComplete) {
    handle(change, peersComplete, true);
  }

  /** Warns of new problems; tells the listener when the peers changed and that is news (or the set is complete). */
  private void handle(PeerTable.Change change, boolean peersComplete, boolean news) {
    for (var problem : change.newProblems()) {
      invalidPeerWarnings.incrementAndGet();
      LOG.warn("skipping peer {}: {}", problem.getKey(), problem.getValue());
      inform(() -> listener.invalidPeer(problem.getKey(), problem.getValue()));
    }
    if ((change.peersChanged() && news) || peersComplete) {
      inform(listener::peersChanged);
    }
  }

  private void inform(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.error("peer listener failed", e);
    }
  }

  private void connected(String detail) {
    if (!Boolean.TRUE.equals(connected)) {
      if (connected != null) {
        LOG.info("Node watch restored: {}", detail);
      }
      connected = true;
      inform(() -> listener.watchState(true, detail));
    }
  }

  private void disconnected(String detail) {
    if (!Boolean.FALSE.equals(connected)) {
      LOG.warn("Node watch lost, retrying with backoff: {}", detail);
      connected = false;
      inform(() -> listener.watchState(false, detail));
    } else {
      LOG.debug("Node watch still down: {}", detail);
    }
  }

  private static String describe(RuntimeException e) {
    return e instanceof KubernetesClientException k ? ApiErrors.detail(k) : e.toString();
  }

  private void pause(Duration delay) {
    long deadline = System.nanoTime() + delay.toNanos();
    synchronized (sleeper) {
      for (long left = delay.toMillis(); left > 0 && !closed; left = (deadline - System.nanoTime()) / 1_000_000) {
        try {
          sleeper.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops the thread and the watch; the last snapshot stays readable. */
  @Override
  public void close() {
    closed = true;
    currentWatch.complete(End.CLOSED);
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Turns watch callbacks into table updates; events of an older watch than the current one are dropped. */
  private final class NodeWatcher implements Watcher<Node> {
    private final long gen;
    private final CompletableFuture<End> ended;

    NodeWatcher(long gen, CompletableFuture<End> ended) {
      this.gen = gen;
      this.ended = ended;
    }

    @Override
    public void eventReceived(Action action, Node node) {
      if (gen != generation.get() || closed || node == null || node.getMetadata() == null
          || node.getMetadata().getName() == null) {
        return;
      }
      objectsRead.incrementAndGet();
      if (node.getMetadata().getResourceVersion() != null) {
        resourceVersion = node.getMetadata().getResourceVersion();
      }
      String name = node.getMetadata().getName();
      switch (action) {
        case ADDED, MODIFIED -> {
          if (!selfNode.equals(name)) {
            handle(table.put(name, parse(node)));
          }
        }
        case DELETED -> handle(table.remove(name));
        case BOOKMARK -> { } // the resourceVersion above is all a bookmark carries
        case ERROR -> ended.complete(End.FAILED);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      LOG.debug("Node watch closed: {}", cause.getMessage(), cause);
      ended.complete(cause.isHttpGone() ? End.GONE : End.FAILED);
    }

    @Override
    public void onClose() {
      ended.complete(End.FAILED);
    }
  }
}
