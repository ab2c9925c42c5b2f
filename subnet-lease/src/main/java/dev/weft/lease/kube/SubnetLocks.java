package dev.weft.lease.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.net.IpPrefix;

/**
 * Per-subnet locks: one {@code coordination.k8s.io/v1} Lease per allocated subnet, named after the subnet. The API
 * server's "create fails with 409 if the name exists" is what makes allocation race-free: of any number of agents
 * creating the same name, exactly one succeeds. The Lease's ownerReference is the Node, so deleting the Node lets the
 * garbage collector free the subnet. Leases have no duration here: a lock is held until released or collected. Each
 * lock is labelled with its holder ({@link #HOLDER_LABEL}), so a restarting agent lists its own locks, not every node's.
 */
final class SubnetLocks {
  static final String LABEL = "weft.dev/subnet-lock";
  static final String SUBNET_ANNOTATION = "weft.dev/subnet";
  /** The holder's Node name, or {@code sha256-} and 40 hex digits of it when the name is no valid label value. */
  static final String HOLDER_LABEL = "weft.dev/subnet-lock-holder";
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Logger LOG = LoggerFactory.getLogger(SubnetLocks.class);

  /**
   * One lock as read from the API.
   *
   * @param ownerUid uid of the Node named in the ownerReference, empty when the reference is missing
   * @param holderLabelled whether it carries {@link #HOLDER_LABEL} for its holder (locks of weft before it do not)
   */
  record Lock(String name, IpPrefix subnet, String holder, Optional<String> ownerUid, String resourceVersion,
      boolean holderLabelled) {
    /** Held by this incarnation of the node: same name and same uid (a re-created Node is a new owner). */
    boolean heldBy(Node node) {
      return holder.equals(node.getMetadata().getName()) && ownerUid.equals(Optional.ofNullable(node.getMetadata().getUid()));
    }
  }

  private final KubernetesClient client;
  private final String namespace;

  SubnetLocks(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  String namespace() {
    return namespace;
  }

  /** The Lease name for a subnet: {@code weft-subnet-10-42-3-0-24}; IPv6 groups are written out in full. */
  static String lockName(IpPrefix subnet) {
    IpPrefix n = subnet.network();
    StringBuilder sb = new StringBuilder("weft-subnet-");
    byte[] b = n.networkAddress().getAddress();
    if (n.isIpv4()) {
      for (byte octet : b) {
        sb.append(octet & 0xff).append('-');
      }
    } else {
      for (int i = 0; i < 16; i += 2) {
        sb.append(String.format("%02x%02x", b[i] & 0xff, b[i + 1] & 0xff)).append('-');
      }
    }
    return sb.append(n.length()).toString();
  }

  /** The {@link #HOLDER_LABEL} value for a Node name: the name itself when it is a valid label value. */
  static String holderLabel(String nodeName) {
    if (LABEL_VALUE.matcher(nodeName).matches()) {
      return nodeName;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(nodeName.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(hash).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /**
   * Every weft subnet lock in the namespace, read page by page. Locks without a readable subnet, or whose subnet
   * annotation does not match their name, are skipped.
   */
  List<Lock> list() {
    return list(Map.of(LABEL, "true"));
  }

  /**
   * The locks labelled as held by {@code nodeName} (one list request, usually of one Lease); a lock whose label and
   * holder disagree is left out. Locks of a weft before the label are not among them: see {@link #list()}.
   */
  List<Lock> listHeldBy(String nodeName) {
    return list(Map.of(LABEL, "true", HOLDER_LABEL, holderLabel(nodeName))).stream()
        .filter(l -> l.holder().equals(nodeName)).toList();
  }

  private List<Lock> list(Map<String, String> labels) {
    List<Lock> out = new ArrayList<>();
    Pages.forEach(o -> client.leases().inNamespace(namespace).withLabels(labels).list(o), Pages.PAGE_SIZE, l -> {
      Optional<Lock> lock = toLock(l);
      if (lock.isPresent()) {
        out.add(lock.get());
      } else {
        LOG.debug("ignoring Lease {}/{}: no readable {} annotation", namespace, l.getMetadata().getName(), SUBNET_ANNOTATION);
      }
    });
    return out;
  }

  private static Optional<Lock> toLock(Lease l) {
    ObjectMeta m = l.getMetadata();
    String subnetText = m.getAnnotations() == null ? null : m.getAnnotations().get(SUBNET_ANNOTATION);
    String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    if (subnetText == null || holder == null) {
      return Optional.empty();
    }
    IpPrefix subnet;
    try {
      subnet = IpPrefix.parseCidr(subnetText).network();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!lockName(subnet).equals(m.getName())) {
      return Optional.empty(); // the name is what the API server keeps unique; an annotation naming another subnet lies
    }
    Optional<String> uid = Optional.ofNullable(m.getOwnerReferences()).stream().flatMap(List::stream)
        .filter(r -> "Node".equals(r.getKind()) && holder.equals(r.getName()))
        .map(OwnerReference::getUid).findFirst();
    boolean labelled = m.getLabels() != null && holderLabel(holder).equals(m.getLabels().get(HOLDER_LABEL));
    return Optional.of(new Lock(m.getName(), subnet, holder, uid, m.getResourceVersion(), labelled));
  }

  /**
   * Adds {@link #HOLDER_LABEL} to a lock of this node that lacks it (one an earlier weft made), so the node's next
   * start finds it by label. An update at the resourceVersion it was read at: a lock that changed or went meanwhile
   * is left alone, and the next start looks again.
   */
  void labelHolder(Lock lock) {
    try {
      Lease l = client.leases().inNamespace(namespace).withName(lock.name()).get();
      if (l == null || !lock.resourceVersion().equals(l.getMetadata().getResourceVersion())) {
        return;
      }
      Map<String, String> labels = new HashMap<>(l.getMetadata().getLabels() == null ? Map.of() : l.getMetadata().getLabels());
      labels.put(HOLDER_LABEL, holderLabel(lock.holder()));
      l.getMetadata().setLabels(labels);
      client.leases().inNamespace(namespace).resource(l).update();
      LOG.info("labelled subnet lock {}/{} with its holder {}", namespace, lock.name(), lock.holder());
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isNotFound(e) && !ApiErrors.isConflict(e)) {
        throw e;
      }
    }
  }

  /**
   * Creates the lock for {@code subnet} held by {@code node} if nobody holds it.
   *
   * @return true when this call created it; false when the Lease already existed (409)
   */
  boolean tryCreate(IpPrefix subnet, Node node) {
    String nodeName = node.getMetadata().getName();
    Lease lease = new LeaseBuilder()
        .withNewMetadata()
          .withName(lockName(subnet))
          .withNamespace(namespace)
          .withLabels(Map.of(LABEL, "true", HOLDER_LABEL, holderLabel(nodeName), "app.kubernetes.io/managed-by", "weft"))
          .withAnnotations(Map.of(SUBNET_ANNOTATION, subnet.network().toString()))
          .withOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion("v1").withKind("Node").withName(nodeName).withUid(node.getMetadata().getUid())
              .build())
        .endMetadata()
        .withNewSpec()
          .withHolderIdentity(nodeName)
          .withAcquireTime(ZonedDateTime.now(ZoneOffset.UTC))
        .endSpec()
        .build();
    try {
      client.leases().inNamespace(namespace).resource(lease).create();
      return true;
    } catch (KubernetesClientException e) {
      if (ApiErrors.isConflict(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes a lock this node holds. The delete carries the resourceVersion it was read at, so a lock that changed
   * hands meanwhile is left alone; one that is already gone is fine.
   */
  void release(Lock lock) {
    try {
      client.leases().inNamespace(namespace).withName(lock.name()).lockResourceVersion(lock.resourceVersion()).delete();
      LOG.info("released subnet lock {}/{} for {}", namespace, lock.name(), lock.subnet());
    } catch (KubernetesClientException e) {
      if (ApiErrors.isNotFound(e) || ApiErrors.isConflict(e)) {
        return;
      }
      throw e;
    }
  }
}
