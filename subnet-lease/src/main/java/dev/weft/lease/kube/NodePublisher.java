package dev.weft.lease.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.lease.Backend;
import dev.weft.lease.MacAddresses;
import dev.weft.net.IpAddresses;
import dev.weft.net.IpFamily;
import dev.weft.net.Texts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything weft writes on its own Node: the flannel-compatible annotations peers read, the
 * {@code NetworkUnavailable} condition, and Events. Annotation writes are JSON merge patches that name only weft's
 * keys, so other annotations (and other writers' concurrent changes) are untouched; nothing is written when the
 * values are already there. API failures surface as {@link KubernetesClientException} for the caller to retry,
 * except for Events, which are best effort. Not thread-safe: one owner, the agent's reconcile thread.
 *
 * <p>One read of the Node serves a whole pass ({@link #beginPass}): the overrides, the published VtepMAC, the
 * annotation and condition writes all look at it (or at the answer of a write made since), where each used to read
 * the Node itself, five GETs of an 8 KB object per agent start. A write whose RFC 6902 guard fails reads afresh.
 */
public final class NodePublisher {
  static final String CONDITION = "NetworkUnavailable";
  private static final Logger LOG = LoggerFactory.getLogger(NodePublisher.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PATCH_TRIES = 3;

  private final KubernetesClient client;
  private final String nodeName;
  private final AnnotationKeys keys;
  private final NodeEvents events;
  private final Map<String, String> warnedOverrides = new LinkedHashMap<>();
  /** This pass's view of the Node: the last read, or the answer of the last write; null when the next use reads. */
  private Node seen;

  public NodePublisher(KubernetesClient client, String nodeName, AnnotationKeys keys) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.events = new NodeEvents(client, nodeName);
  }

  /**
   * Starts a reconcile pass: the next call reads the Node from the API, and the pass's later calls use that read (or
   * the answer of a write made since) instead of reading it again.
   */
  public void beginPass() {
    seen = null;
  }

  /** The Node as this pass sees it, read from the API when {@code fresh} or not read yet; null when it does not exist. */
  private Node node(boolean fresh) {
    if (fresh || seen == null) {
      seen = client.nodes().withName(nodeName).get();
    }
    return seen;
  }

  /** {@link #node} for a write: a Node that does not exist is an error, as fabric8's {@code require()} makes it. */
  private Node existingNode(boolean fresh) {
    if (fresh || seen == null) {
      seen = client.nodes().withName(nodeName).require();
    }
    return seen;
  }

  /**
   * The VtepMAC this node published earlier for {@code vni}, so the device can be created with the same MAC and
   * peers' FDB entries stay valid across restarts. Empty when there is none, it is for another VNI, or unusable.
   */
  public Optional<String> publishedVtepMac(int vni) {
    return publishedMac(keys.backendData(), vni);
  }

  /** {@link #publishedVtepMac} for the IPv6 VXLAN device, from {@code backend-v6-data}. */
  public Optional<String> publishedVtepMacV6(int vni) {
    return publishedMac(keys.backendV6Data(), vni);
  }

  private Optional<String> publishedMac(String key, int vni) {
    Node node = node(false);
    String data = node == null ? null : annotations(node).get(key);
    if (data == null || data.length() > PeerParser.MAX_VALUE) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(data);
      JsonNode v = root.path("VNI");
      JsonNode mac = root.path("VtepMAC");
      if (!v.isIntegralNumber() || v.intValue() != vni || !mac.isTextual()) {
        return Optional.empty();
      }
      return Optional.of(MacAddresses.normalize(mac.textValue()));
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
      LOG.warn("ignoring this node's published {} {}: {}", key, Texts.quote(data), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The public IPv4 address an operator or installer set on this Node: {@code public-ip-overwrite} first, then
   * {@code node-public-ip}. An unusable value (or one of the other family) is warned about (once per value) and
   * skipped.
   */
  public Optional<InetAddress> publicIpOverride() {
    return override(List.of(keys.publicIpOverwrite(), keys.nodePublicIp()), IpFamily.V4);
  }

  /** The same for IPv6: {@code public-ipv6-overwrite}, then {@code node-public-ipv6}, as flanneld reads them. */
  public Optional<InetAddress> publicIpV6Override() {
    return override(List.of(keys.publicIpV6Overwrite(), keys.nodePublicIpV6()), IpFamily.V6);
  }

  private Optional<InetAddress> override(List<String> keysInOrder, IpFamily family) {
    Node node = node(false);
    if (node == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = annotations(node);
    for (String key : keysInOrder) {
      String value = annotations.get(key);
      if (value == null || value.isBlank()) {
        continue;
      }
      if (value.length() > PeerParser.MAX_VALUE) {
        warnOnce(key, value, value.length() + " characters long");
        continue;
      }
      try {
        InetAddress ip = IpAddresses.parse(value.strip());
        if (IpFamily.of(ip) != family) {
          warnOnce(key, value, "not an " + (family == IpFamily.V4 ? "IPv4" : "IPv6") + " address");
        } else if (IpAddresses.isUsableUnicast(ip) && !(family == IpFamily.V6 && ip.isLinkLocalAddress())) {
          return Optional.of(ip);
        } else {
          warnOnce(key, value, "not a usable unicast address");
        }
      } catch (IllegalArgumentException e) {
        warnOnce(key, value, e.getMessage());
      }
    }
    return Optional.empty();
  }

  private void warnOnce(String key, String value, String problem) {
    if (!value.equals(warnedOverrides.put(key, value))) {
      LOG.warn("ignoring {} = {} on Node {}: {}", key, Texts.quote(value), nodeName, problem);
    }
  }

  /** Publishes the IPv4 backend: backend-type, backend-data, public-ip and kube-subnet-manager. */
  public void publish(int vni, String vtepMac, InetAddress publicIp) {
    if (IpAddresses.bits(publicIp) != 32) {
      throw new IllegalArgumentException("public IP must be IPv4: " + publicIp);
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(keys.kubeSubnetManager(), "true");
    wanted.put(keys.backendType(), "vxlan");
    wanted.put(keys.backendData(), backendData(vni, vtepMac));
    wanted.put(keys.publicIp(), IpAddresses.format(publicIp));
    patchAnnotations(wanted);
  }

  /**
   * Publishes the host-gw backend as flanneld does: backend-type {@code host-gw}, backend-data {@code null} (its
   * lease has no backend data, which Go marshals to {@code null}), public-ip and kube-subnet-manager.
   */
  public void publishHostGw(InetAddress publicIp) {
    if (IpAddresses.bits(publicIp) != 32) {
      throw new IllegalArgumentException("public IP must be IPv4: " + publicIp);
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(keys.kubeSubnetManager(), "true");
    wanted.put(keys.backendType(), Backend.HOST_GW);
    wanted.put(keys.backendData(), "null");
    wanted.put(keys.publicIp(), IpAddresses.format(publicIp));
    patchAnnotations(wanted);
  }

  /**
   * host-gw's IPv6 half, as flanneld publishes it: backend-v6-data {@code null} and public-ipv6, with backend-type and
   * kube-subnet-manager (the same values as the IPv4 half's, and all there is on an IPv6-only node).
   */
  public void publishHostGwIpv6(InetAddress publicIpV6) {
    if (IpAddresses.bits(publicIpV6) != 128) {
      throw new IllegalArgumentException("public IPv6 address expected: " + publicIpV6);
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(keys.kubeSubnetManager(), "true");
    wanted.put(keys.backendType(), Backend.HOST_GW);
    wanted.put(keys.backendV6Data(), "null");
    wanted.put(keys.publicIpV6(), IpAddresses.format(publicIpV6));
    patchAnnotations(wanted);
  }

  /**
   * Publishes the IPv6 backend: backend-v6-data and public-ipv6, with backend-type and kube-subnet-manager (the same
   * values as {@link #publish}'s, and all there is on an IPv6-only node).
   */
  public void publishIpv6(int vni, String vtepMac, InetAddress publicIpV6) {
    if (IpAddresses.bits(publicIpV6) != 128 || !IpAddresses.isUsableUnicast(publicIpV6) || publicIpV6.isLinkLocalAddress()) {
      throw new IllegalArgumentException("a usable, not link-local public IPv6 address expected (peers refuse others): "
          + publicIpV6);
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(keys.kubeSubnetManager(), "true");
    wanted.put(keys.backendType(), Backend.VXLAN);
    wanted.put(keys.backendV6Data(), backendData(vni, vtepMac));
    wanted.put(keys.publicIpV6(), IpAddresses.format(publicIpV6));
    patchAnnotations(wanted);
  }

  /** {@link #unpublish} of IPv6. */
  public void unpublishIpv6() {
    unpublish(IpFamily.V6);
  }

  /**
   * Removes one family's backend annotations when this node no longer runs that family: {@code backend-v6-data} and
   * {@code public-ipv6} when EnableIPv6 is off, {@code backend-data} and {@code public-ip} when EnableIPv4 is off, so
   * peers stop programming routes to a device that is gone. A no-op when neither is there.
   */
  public void unpublish(IpFamily family) {
    List<String> gone = family == IpFamily.V6 ? List.of(keys.backendV6Data(), keys.publicIpV6())
        : List.of(keys.backendData(), keys.publicIp());
    for (int attempt = 0; attempt < PATCH_TRIES; attempt++) {
      Node node = existingNode(attempt > 0);
      Map<String, String> current = annotations(node);
      ArrayNode ops = JSON.createArrayNode();
      for (String key : gone) {
        if (current.get(key) != null) {
          // RFC 6902 "remove" really deletes the key (a merge patch's null is kept as a value by some servers)
          ops.addObject().put("op", "remove").put("path", "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1"));
        }
      }
      if (ops.isEmpty()) {
        return;
      }
      try {
        seen = client.nodes().resource(node).patch(PatchContext.of(PatchType.JSON), ops.toString());
        LOG.info("removed the {} annotations {} from Node {}: {} is off", family.label(), gone, nodeName, family.label());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 422 || attempt == PATCH_TRIES - 1) {
          throw e; // 422: a key vanished meanwhile; look again
        }
      }
    }
  }

  /** flannel's exact text, so a flanneld peer and weft compare equal: {@code {"VNI":1,"VtepMAC":"…"}}. */
  static String backendData(int vni, String vtepMac) {
    return "{\"VNI\":" + vni + ",\"VtepMAC\":\"" + MacAddresses.normalize(vtepMac) + "\"}";
  }

  private void patchAnnotations(Map<String, String> wanted) {
    Node node = existingNode(false);
    Map<String, String> current = annotations(node);
    ObjectNode changes = JSON.createObjectNode();
    wanted.forEach((k, v) -> {
      if (!v.equals(current.get(k))) {
        changes.put(k, v);
      }
    });
    if (changes.isEmpty()) {
      return;
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("metadata").set("annotations", changes);
    // the main resource, not nodes/status: see the module README (RBAC) for why
    seen = client.nodes().resource(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    LOG.info("published on Node {}: {}", nodeName, changes);
  }

  /**
   * Sets {@code NetworkUnavailable=False} (reason {@code WeftIsUp}) once the data plane is up; a no-op when it is
   * already false. The write is a JSON patch on {@code nodes/status} that replaces only that one list element, after
   * testing it is still the one read, so the kubelet's concurrent status updates are never overwritten; a failed
   * test (the list changed shape meanwhile) is redone from a fresh read.
   */
  public void markNetworkAvailable() {
    for (int attempt = 0; attempt < PATCH_TRIES; attempt++) {
      Node node = existingNode(attempt > 0);
      boolean hasStatus = node.getStatus() != null;
      boolean hasList = hasStatus && node.getStatus().getConditions() != null;
      List<NodeCondition> conditions = hasList ? node.getStatus().getConditions() : List.of();
      if (conditions.stream().anyMatch(c -> CONDITION.equals(c.getType()) && "False".equals(c.getStatus()))) {
        return;
      }
      try {
        seen = client.nodes().resource(node).subresource("status")
            .patch(PatchContext.of(PatchType.JSON), conditionPatch(hasStatus, hasList, conditions));
        LOG.info("Node {}: {} cleared", nodeName, CONDITION);
        return;
      } catch (KubernetesClientException e) {
        boolean retry = ApiErrors.isConflict(e) || e.getCode() == 422;
        if (!retry || attempt == PATCH_TRIES - 1) {
          throw e;
        }
      }
    }
  }

  /** RFC 6902 operations: replace our element (guarded by a test of its type) or append it. */
  static String conditionPatch(boolean hasStatus, boolean hasList, List<NodeCondition> conditions) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode ours = JSON.createObjectNode()
        .put("type", CONDITION).put("status", "False").put("reason", "WeftIsUp")
        .put("message", "weft is running on this node").put("lastTransitionTime", now).put("lastHeartbeatTime", now);
    ArrayNode ops = JSON.createArrayNode();
    int index = -1;
    for (int i = 0; i < conditions.size() && index < 0; i++) {
      index = CONDITION.equals(conditions.get(i).getType()) ? i : -1;
    }
    if (index >= 0) {
      ops.addObject().put("op", "test").put("path", "/status/conditions/" + index + "/type").put("value", CONDITION);
      ops.addObject().put("op", "replace").put("path", "/status/conditions/" + index).set("value", ours);
    } else if (hasList && !conditions.isEmpty()) {
      ops.addObject().put("op", "add").put("path", "/status/conditions/-").set("value", ours);
    } else if (hasStatus) {
      // fabric8 reads an absent list as empty: "add" of the whole array works whether or not the member exists.
      ops.addObject().put("op", "add").put("path", "/status/conditions").set("value", JSON.createArrayNode().add(ours));
    } else {
      ObjectNode status = JSON.createObjectNode();
      status.putArray("conditions").add(ours);
      ops.addObject().put("op", "add").put("path", "/status").set("value", status);
    }
    return ops.toString();
  }

  /**
   * Records a Kubernetes Event on this Node (seen in {@code kubectl describe node}), in namespace {@code default}: the
   * API server requires that for Events about cluster-scoped objects, which is also where the kubelet puts its own.
   * Best effort: a failure is logged, never thrown, since an Event must not stop the agent.
   *
   * @param type {@code Normal} or {@code Warning}
   * @param reason a short CamelCase word, e.g. {@code SubnetPoolExhausted}
   */
  public void recordEvent(String type, String reason, String message) {
    events.record(type, reason, message);
  }

  private static Map<String, String> annotations(Node node) {
    Map<String, String> a = node.getMetadata() == null ? null : node.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }
}
