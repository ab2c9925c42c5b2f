package dev.weft.lease.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/** Child-JVM main of {@link KubeClientsTest}: builds a client from a kubeconfig file, sends nothing. */
public final class KubeconfigProbe {
  private KubeconfigProbe() {
  }

  public static void main(String[] args) {
    try (KubernetesClient c = KubeClients.create(Optional.of(Path.of(args[0])))) {
      System.out.println("probe namespace " + c.getNamespace());
    }
  }
}
