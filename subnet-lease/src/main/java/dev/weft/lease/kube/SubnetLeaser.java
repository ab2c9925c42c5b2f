package dev.weft.lease.kube;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.lease.NetConf;
import dev.weft.lease.NodeLease;
import dev.weft.lease.SubnetPool;
import dev.weft.lease.kube.SubnetLocks.Lock;
import dev.weft.net.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets this node its subnet, one attempt per call, never sleeping: the agent's reconcile loop calls
 * {@link #tryAcquire()} and requeues itself with a {@link dev.weft.lease.Backoff} delay on failure.
 *
 * <p>An attempt adopts the Node's {@code spec.podCIDR} when one is set (kube-controller-manager
 * {@code --allocate-node-cidrs}, k3s), refusing one outside {@code Network}. Otherwise it allocates: it reads which
 * subnets are taken (every Node's podCIDRs and every weft lock), tries up to {@value #CANDIDATES_PER_ATTEMPT} free
 * ones in random order, locks the first it wins (see {@link SubnetLocks}) and then writes the Node's
 * {@code spec.podCIDR}/{@code podCIDRs} guarded by the resourceVersion it read. If a controller set a podCIDR
 * meanwhile, that one is adopted and the lock released. A restarted agent finds its podCIDR (or, if it died between
 * the two steps, its lock) and keeps it.
 *
 * <p>Not thread-safe: one owner, the agent's reconcile thread.
 */
public final class SubnetLeaser {
  static final int CANDIDATES_PER_ATTEMPT = 16;
  private static final int PATCH_TRIES = 3;
  private static final Logger LOG = LoggerFactory.getLogger(SubnetLeaser.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final String nodeName;
  private final NetConf conf;
  private final SubnetLocks locks;
  private final RandomGenerator random;
  private final AtomicLong conflicts = new AtomicLong();
  private boolean lockListDeniedLogged;

  /**
   * @param leaseNamespace where the subnet locks live: the agent's own namespace (POD_NAMESPACE)
   */
  public SubnetLeaser(KubernetesClient client, String nodeName, NetConf conf, String leaseNamespace) {
    this(client, nodeName, conf, leaseNamespace, RandomGenerator.getDefault());
  }

  SubnetLeaser(KubernetesClient client, String nodeName, NetConf conf, String leaseNamespace, RandomGenerator random) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.conf = Objects.requireNonNull(conf, "conf");
    this.locks = new SubnetLocks(client, Objects.requireNonNull(leaseNamespace, "leaseNamespace"));
    this.random = random;
  }

  /** One attempt: the node's lease, or why there is none yet. Never throws for API or data problems. */
  public LeaseAttempt tryAcquire() {
    try {
      Node node = client.nodes().withName(nodeName).get();
      if (node == null) {
        return new LeaseAttempt.Failed(LeaseFailure.NODE_NOT_FOUND, "Node " + nodeName
            + " does not exist; NODE_NAME must match the kubelet's node name");
      }
      return PodCidrs.raw(node).isEmpty() ? allocate(node) : adopt(node);
    } catch (Stop stop) {
      return stop.failed;
    } catch (KubernetesClientException e) {
      return ApiErrors.failure(e, "leasing a subnet for Node " + nodeName);
    }
  }

  /** Lock creations that lost to another agent (HTTP 409), over this leaser's lifetime. */
  public long conflicts() {
    return conflicts.get();
  }

  private LeaseAttempt adopt(Node node) {
    List<IpPrefix> cidrs;
    try {
      cidrs = PodCidrs.parse(node);
    } catch (IllegalArgumentException e) {
      throw stop(LeaseFailure.PODCIDR_INVALID, "Node " + nodeName + " has an unusable podCIDR: " + e.getMessage());
    }
    if (cidrs.size() > PeerParser.MAX_POD_CIDRS) {
      throw stop(LeaseFailure.PODCIDR_INVALID, "Node " + nodeName + " has " + cidrs.size() + " podCIDRs " + cidrs
          + "; a node has at most one per family (IPv4 and IPv6)");
    }
    Optional<IpPrefix> v4 = Optional.empty();
    if (conf.enableIpv4()) {
      v4 = Optional.of(family(cidrs, true).orElseThrow(() -> stop(LeaseFailure.PODCIDR_INVALID,
          "Node " + nodeName + " has podCIDRs " + cidrs + " but no IPv4 range; weft needs one unless EnableIPv4 is false")));
      requireInside(v4.get(), conf.network().orElseThrow(), "Network");
    }
    Optional<IpPrefix> v6 = Optional.empty();
    if (conf.enableIpv6()) {
      v6 = Optional.of(family(cidrs, false).orElseThrow(() -> stop(LeaseFailure.PODCIDR_INVALID,
          "EnableIPv6 is true but Node " + nodeName + " has no IPv6 podCIDR (podCIDRs " + cidrs + ")")));
      requireInside(v6.get(), conf.ipv6Network().orElseThrow(), "IPv6Network");
    }
    boolean ours = keepOnlyLocksFor(node, Stream.of(v4, v6).flatMap(Optional::stream).toList());
    return new LeaseAttempt.Acquired(new NodeLease(v4, v6, ours));
  }

  private void requireInside(IpPrefix podCidr, IpPrefix network, String field) {
    if (!network.contains(podCidr)) {
      throw stop(LeaseFailure.PODCIDR_OUTSIDE_NETWORK, "Node " + nodeName + " has podCIDR " + podCidr + ", outside "
          + field + " " + network + " of net-conf.json; the controller's --cluster-cidr and net-conf.json must agree");
    }
  }

  /**
   * Releases every lock this node holds for anything but {@code keep} (a controller assigned a different podCIDR, or
   * the Node was re-created). Returns whether a lock of ours covers the first subnet kept (IPv4, or IPv6 on an
   * IPv6-only cluster). Works without Lease RBAC:
   * clusters where the controller assigns podCIDRs never need a lock.
   */
  private boolean keepOnlyLocksFor(Node node, List<IpPrefix> keep) {
    List<Lock> all;
    try {
      // A restart reads its own locks by label: one small list, where reading every node's would cost the API server
      // N objects per agent, N² for a rolling restart. Without a lock of ours for the subnet there either is none (a
      // controller assigns the podCIDRs: the full list is empty too) or an earlier weft made it unlabelled: look at all.
      all = locks.listHeldBy(nodeName);
      if (all.stream().noneMatch(l -> l.heldBy(node) && l.subnet().equals(keep.getFirst()))) {
        all = locks.list();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      if (!lockListDeniedLogged) {
        lockListDeniedLogged = true;
        LOG.warn("cannot list subnet locks in namespace {} ({}); using the podCIDR without checking for stale locks",
            locks.namespace(), ApiErrors.detail(e));
      }
      return false;
    }
    boolean ours = false;
    for (Lock lock : all) {
      if (!lock.holder().equals(nodeName)) {
        continue;
      }
      if (lock.heldBy(node) && keep.contains(lock.subnet())) {
        ours |= lock.subnet().equals(keep.getFirst());
        if (!lock.holderLabelled()) {
          locks.labelHolder(lock);
        }
      } else {
        LOG.info("Node {} uses podCIDR {}; releasing its lock on {}", nodeName, keep, lock.subnet());
        locks.release(lock);
      }
    }
    return ours;
  }

  private LeaseAttempt allocate(Node node) {
    List<Lock> all = locks.list();
    List<IpPrefix> used = null; // read lazily: a restart that finds its own lock does not need every Node
    Optional<IpPrefix> v4 = Optional.empty();
    if (conf.enableIpv4()) {
      SubnetPool pool4 = conf.ipv4Pool().orElseThrow();
      v4 = ownLock(node, all, pool4);
      if (v4.isEmpty()) {
        used = usedSubnets(all);
        v4 = Optional.of(lockOne(node, pool4, used));
      }
    }
    Optional<IpPrefix> v6 = Optional.empty();
    if (conf.enableIpv6()) {
      SubnetPool pool6 = conf.ipv6Pool().orElseThrow();
      v6 = ownLock(node, all, pool6);
      if (v6.isEmpty()) {
        v6 = Optional.of(lockOne(node, pool6, used == null ? usedSubnets(all) : used));
      }
    }
    return setPodCidr(node, v4, v6);
  }

  /** A lock this node already holds in the pool (kept), releasing stale or surplus ones of ours. */
  private Optional<IpPrefix> ownLock(Node node, List<Lock> all, SubnetPool pool) {
    Optional<IpPrefix> kept = Optional.empty();
    for (Lock lock : all) {
      boolean inFamily = lock.subnet().isIpv4() == pool.network().isIpv4();
      if (!inFamily || !lock.holder().equals(nodeName)) {
        continue;
      }
      if (kept.isEmpty() && lock.heldBy(node) && pool.indexOf(lock.subnet()).isPresent()) {
        kept = Optional.of(lock.subnet());
        LOG.info("Node {} already holds the lock on {}; keeping it", nodeName, lock.subnet());
      } else {
        locks.release(lock); // a previous incarnation's, outside today's pool, or a duplicate
      }
    }
    return kept;
  }

  private List<IpPrefix> usedSubnets(List<Lock> all) {
    List<IpPrefix> used = new ArrayList<>();
    all.forEach(l -> used.add(l.subnet()));
    new NodeLister(client, Pages.PAGE_SIZE, "").forEach(n -> used.addAll(PodCidrs.parseLenient(n.podCidrs())));
    return used;
  }

  private IpPrefix lockOne(Node node, SubnetPool pool, List<IpPrefix> used) {
    List<IpPrefix> candidates = pool.freeCandidates(used, random, CANDIDATES_PER_ATTEMPT);
    if (candidates.isEmpty()) {
      throw stop(LeaseFailure.POOL_EXHAUSTED, "no free subnet for Node " + nodeName + ": all " + pool.size() + " "
          + pool + " are taken by Nodes' podCIDRs or weft locks in namespace " + locks.namespace()
          + "; delete unused Nodes or widen Network/SubnetMin/SubnetMax");
    }
    for (IpPrefix candidate : candidates) {
      if (locks.tryCreate(candidate, node)) {
        LOG.info("Node {} locked subnet {}", nodeName, candidate);
        return candidate;
      }
      conflicts.incrementAndGet();
      used.add(candidate);
    }
    throw stop(LeaseFailure.CONTENDED, "other nodes took all " + candidates.size() + " subnets Node " + nodeName
        + " tried; retrying with a fresh view");
  }

  /** Writes spec.podCIDR(s) from empty, or adopts what a controller wrote in the meantime. */
  private LeaseAttempt setPodCidr(Node node, Optional<IpPrefix> v4, Optional<IpPrefix> v6) {
    List<IpPrefix> cidrs = Stream.of(v4, v6).flatMap(Optional::stream).toList();
    Node current = node;
    for (int attempt = 0; attempt < PATCH_TRIES; attempt++) {
      try {
        client.nodes().resource(current).patch(PatchContext.of(PatchType.JSON_MERGE), podCidrPatch(current, cidrs));
        LOG.info("Node {} spec.podCIDRs set to {}", nodeName, cidrs);
        return new LeaseAttempt.Acquired(new NodeLease(v4, v6, true));
      } catch (KubernetesClientException e) {
        if (!ApiErrors.isConflict(e) && e.getCode() != 422) {
          throw e;
        }
        current = client.nodes().withName(nodeName).get();
        if (current == null) {
          throw stop(LeaseFailure.NODE_NOT_FOUND, "Node " + nodeName + " was deleted while weft was leasing its subnet");
        }
        if (!PodCidrs.raw(current).isEmpty()) {
          LOG.info("Node {} got podCIDR {} from elsewhere while weft was allocating; adopting it", nodeName,
              PodCidrs.raw(current));
          return adopt(current);
        }
      }
    }
    throw stop(LeaseFailure.API_ERROR, "Node " + nodeName + " kept changing while weft set its spec.podCIDR; the locks on "
        + cidrs + " are kept for the next attempt");
  }

  /** spec.podCIDR is the first of {@code cidrs} (IPv4 on a cluster that runs it), spec.podCIDRs all of them. */
  private static String podCidrPatch(Node node, List<IpPrefix> cidrs) {
    ObjectNode patch = JSON.createObjectNode();
    // the resourceVersion makes the write conditional: HTTP 409 if the Node changed since it was read
    patch.putObject("metadata").put("resourceVersion", node.getMetadata().getResourceVersion());
    ObjectNode spec = patch.putObject("spec");
    spec.put("podCIDR", cidrs.getFirst().toString());
    var list = spec.putArray("podCIDRs");
    cidrs.forEach(c -> list.add(c.toString()));
    return patch.toString();
  }

  private static Optional<IpPrefix> family(List<IpPrefix> cidrs, boolean ipv4) {
    return cidrs.stream().filter(c -> c.isIpv4() == ipv4).findFirst();
  }

  private static Stop stop(LeaseFailure kind, String message) {
    return new Stop(new LeaseAttempt.Failed(kind, message));
  }

  /** Unwinds an attempt to {@link #tryAcquire()} with its outcome; control flow only, hence no stack trace. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient LeaseAttempt.Failed failed;

    Stop(LeaseAttempt.Failed failed) {
      super(failed.message(), null, false, false);
      this.failed = failed;
    }
  }
}
