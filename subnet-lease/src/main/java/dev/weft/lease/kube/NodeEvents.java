package dev.weft.lease.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events about one Node, in the style kubelet records them ({@code <node>.<unique hex>}, namespace
 * {@code default}: an Event about a cluster-scoped object must live there or have no namespace).
 */
final class NodeEvents {
  private static final Logger LOG = LoggerFactory.getLogger(NodeEvents.class);
  private static final Pattern REASON = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,127}");
  private static final int MAX_MESSAGE = 1024;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;
  private final String nodeName;
  private static final String NAMESPACE = "default";
  private volatile String nodeUid;
  private volatile boolean failureLogged;

  NodeEvents(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  void record(String type, String reason, String message) {
    if (!"Normal".equals(type) && !"Warning".equals(type)) {
      throw new IllegalArgumentException("event type must be Normal or Warning, got " + type);
    }
    if (reason == null || !REASON.matcher(reason).matches()) {
      throw new IllegalArgumentException("event reason must be a CamelCase word, got " + reason);
    }
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
    try {
      client.resources(Event.class).inNamespace(NAMESPACE).resource(build(type, reason, text)).create();
      failureLogged = false;
    } catch (KubernetesClientException e) {
      if (!failureLogged) { // one line per run of failures: Events are best effort
        failureLogged = true;
        LOG.warn("could not record Event {} on Node {}: {}", reason, nodeName, ApiErrors.detail(e));
      }
    }
  }

  private Event build(String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String suffix = "." + Long.toHexString(System.currentTimeMillis()) + Long.toHexString(SEQUENCE.incrementAndGet());
    String prefix = nodeName.length() + suffix.length() > 253 ? nodeName.substring(0, 253 - suffix.length()) : nodeName;
    return new EventBuilder()
        .withNewMetadata().withName(prefix + suffix).withNamespace(NAMESPACE).endMetadata()
        .withNewInvolvedObject().withApiVersion("v1").withKind("Node").withName(nodeName).withUid(uid()).endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource().withComponent("weft").withHost(nodeName).endSource()
        .withReportingComponent("weft")
        .withReportingInstance(nodeName)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }

  /** The Node's uid, which lets {@code kubectl describe node} match the Event; looked up once. */
  private String uid() {
    if (nodeUid == null) {
      try {
        Node node = client.nodes().withName(nodeName).get();
        nodeUid = node == null ? null : node.getMetadata().getUid();
      } catch (KubernetesClientException e) {
        return null; // the event is still useful without it
      }
    }
    return nodeUid;
  }
}
