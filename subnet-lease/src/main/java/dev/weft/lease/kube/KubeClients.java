package dev.weft.lease.kube;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.cfg.HandlerInstantiator;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.TypeResolverBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.net.Texts;

/** Building the API client and finding out who and where this agent is. */
public final class KubeClients {
  private static final Logger LOG = LoggerFactory.getLogger(KubeClients.class);
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private KubeClients() {}

  /**
   * A client from the given kubeconfig file, or else from the standard places: the pod's service account (in-cluster),
   * {@code $KUBECONFIG}, {@code ~/.kube/config}. Requests time out after 15 s and are retried once, so a single
   * call (and with it one reconcile pass) is bounded even while the API server is down. A configured cluster CA is the
   * only CA trusted ({@link ClusterTrust}).
   *
   * @throws IllegalArgumentException when the kubeconfig file is not a readable regular file
   */
  public static KubernetesClient create(Optional<Path> kubeconfig) {
    Config config;
    if (kubeconfig.isPresent()) {
      Path path = kubeconfig.get().toAbsolutePath().normalize();
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new IllegalArgumentException("kubeconfig " + path + " is not a readable file");
      }
      NoModelScan.install();
      config = Config.fromKubeconfig(path.toFile()); // relative certificate paths resolve against its directory
    } else {
      if (mayReadAKubeconfig()) {
        NoModelScan.install(); // only then: it initialises fabric8's static serialization (~60 ms cold), a pod needs none
      }
      config = Config.autoConfigure(null);
    }
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(15_000);
    config.setRequestRetryBackoffLimit(1);
    LOG.info("Kubernetes API at {} ({})", config.getMasterUrl(),
        kubeconfig.map(p -> "kubeconfig " + p).orElse("in-cluster or default kubeconfig"));
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new ClusterTrust())
        .withKubernetesSerialization(serialization()).build();
  }

  /**
   * fabric8's serialization without its class-path scan: by default the first watch event makes it load every
   * Kubernetes model class it can find (thousands, most of the agent's metaspace) to map a {@code kind} to a class.
   * Typed requests never need that map; watch events need the kinds weft watches and the Status of an error event.
   */
  static KubernetesSerialization serialization() {
    KubernetesSerialization s = new KubernetesSerialization(new ObjectMapper(), false);
    for (Class<? extends KubernetesResource> kind : List.of(Node.class, Status.class, Lease.class, Event.class, Pod.class)) {
      s.registerKubernetesResource(kind);
    }
    return s;
  }

  /** Whether {@link Config#autoConfigure} will parse a kubeconfig file ({@code $KUBECONFIG} or {@code ~/.kube/config}). */
  private static boolean mayReadAKubeconfig() {
    String tryIt = System.getProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY,
        System.getenv("KUBERNETES_AUTH_TRYKUBECONFIG"));
    return !"false".equalsIgnoreCase(tryIt)
        && Config.getKubeconfigFilenames().stream().anyMatch(f -> Files.isRegularFile(Path.of(f)));
  }

  /**
   * fabric8 reads kubeconfig files with its static serialization, whose deserializer for embedded resources (a
   * kubeconfig's {@code extensions}) first loads every Kubernetes model class on the class path, about 700 here, to map
   * kinds to classes. The AOT cache then holds them all (8 MiB of RSS on every start, in-cluster ones too). No kubeconfig
   * extension has a kind weft reads, so that deserializer starts with an empty map; everything else is fabric8's.
   */
  static final class NoModelScan extends HandlerInstantiator {
    private static boolean installed;

    /** Installs it on fabric8's static mapper, once, before the first kubeconfig is parsed. */
    static synchronized void install() {
      if (!installed) {
        ObjectMapper m = Serialization.jsonMapper();
        m.setHandlerInstantiator(new NoModelScan(m.getDeserializationConfig().getHandlerInstantiator()));
        installed = true;
      }
    }

    private final HandlerInstantiator fabric8;
    private final KubernetesDeserializer empty = new KubernetesDeserializer(false);

    private NoModelScan(HandlerInstantiator fabric8) {
      this.fabric8 = fabric8;
    }

    @Override
    public JsonDeserializer<?> deserializerInstance(DeserializationConfig config, Annotated annotated, Class<?> type) {
      if (type == KubernetesDeserializer.class) {
        return empty;
      }
      return fabric8 == null ? null : fabric8.deserializerInstance(config, annotated, type);
    }

    @Override
    public KeyDeserializer keyDeserializerInstance(DeserializationConfig config, Annotated annotated, Class<?> type) {
      return fabric8 == null ? null : fabric8.keyDeserializerInstance(config, annotated, type);
    }

    @Override
    public JsonSerializer<?> serializerInstance(SerializationConfig config, Annotated annotated, Class<?> type) {
      return fabric8 == null ? null : fabric8.serializerInstance(config, annotated, type);
    }

    @Override
    public TypeResolverBuilder<?> typeResolverBuilderInstance(MapperConfig<?> config, Annotated annotated, Class<?> type) {
      return fabric8 == null ? null : fabric8.typeResolverBuilderInstance(config, annotated, type);
    }

    @Override
    public TypeIdResolver typeIdResolverInstance(MapperConfig<?> config, Annotated annotated, Class<?> type) {
      return fabric8 == null ? null : fabric8.typeIdResolverInstance(config, annotated, type);
    }
  }

  /**
   * This node's name: {@code NODE_NAME} (set it from the Downward API, {@code spec.nodeName}), or else the
   * {@code spec.nodeName} of this pod ({@code POD_NAME} or {@code HOSTNAME} in {@link #podNamespace}).
   *
   * @throws IllegalStateException saying what to set when neither works
   */
  public static String nodeName(Map<String, String> env, KubernetesClient client) {
    String fromEnv = env.get("NODE_NAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return checkNodeName(fromEnv.strip(), "NODE_NAME");
    }
    String pod = Optional.ofNullable(env.get("POD_NAME")).filter(s -> !s.isBlank()).orElse(env.get("HOSTNAME"));
    if (pod == null || pod.isBlank()) {
      throw new IllegalStateException("NODE_NAME is not set; set it from the Downward API (fieldRef spec.nodeName)");
    }
    String namespace = podNamespace(env, client);
    Pod self = client.pods().inNamespace(namespace).withName(pod.strip()).get();
    if (self == null || self.getSpec() == null || self.getSpec().getNodeName() == null) {
      throw new IllegalStateException("NODE_NAME is not set and pod " + namespace + "/" + pod
          + " has no spec.nodeName; set NODE_NAME from the Downward API (fieldRef spec.nodeName)");
    }
    return checkNodeName(self.getSpec().getNodeName(), "pod " + namespace + "/" + pod + " spec.nodeName");
  }

  /**
   * The agent's namespace, where its subnet locks and Events live: {@code POD_NAMESPACE}, else the namespace of the
   * client's configuration (in a pod: the service account's).
   */
  public static String podNamespace(Map<String, String> env, KubernetesClient client) {
    String ns = Optional.ofNullable(env.get("POD_NAMESPACE")).filter(s -> !s.isBlank()).map(String::strip)
        .orElse(client.getNamespace());
    if (ns == null || !DNS_LABEL.matcher(ns).matches()) {
      throw new IllegalStateException("POD_NAMESPACE must name a namespace (Downward API fieldRef metadata.namespace), got "
          + Texts.quote(ns));
    }
    return ns;
  }

  private static String checkNodeName(String name, String source) {
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalStateException(source + " is not a valid Node name: " + Texts.quote(name));
    }
    return name;
  }
}
