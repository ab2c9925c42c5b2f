package dev.weft.lease.kube;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs an action once, just before the first request with the given method whose path ends as given is sent. Used
 * to make "someone else got there first" happen deterministically, between a leaser's read and its write.
 */
final class BeforeRequest implements Interceptor {
  private final String method;
  private final String pathSuffix;
  private final Runnable action;
  private final AtomicBoolean fired = new AtomicBoolean();

  private BeforeRequest(String method, String pathSuffix, Runnable action) {
    this.method = method;
    this.pathSuffix = pathSuffix;
    this.action = action;
  }

  static Consumer<KubernetesClientBuilder> once(String method, String pathSuffix, Runnable action) {
    BeforeRequest interceptor = new BeforeRequest(method, pathSuffix, action);
    return b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("test-before-request", interceptor));
  }

  boolean fired() {
    return fired.get();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (request.method().equals(method) && request.uri().getPath().endsWith(pathSuffix) && fired.compareAndSet(false, true)) {
      action.run();
    }
  }
}
