package dev.weft.lease.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Paginated LIST: at most {@link #PAGE_SIZE} objects per request, so a 5000-node cluster is read in bounded chunks
 * and only the few fields the caller extracts stay in memory.
 */
final class Pages {
  static final long PAGE_SIZE = 500;
  /** A bound on pages (5 million objects) so a server that keeps returning continue tokens cannot loop us forever. */
  private static final int MAX_PAGES = 10_000;

  private Pages() {}

  /**
   * Feeds every item of every page to {@code each} and returns the list's resourceVersion (the point a watch
   * continues from).
   */
  static <T extends HasMetadata, L extends KubernetesResourceList<T>> String forEach(Function<ListOptions, L> list, long pageSize, Consumer<T> each) {
    String cont = null;
    String resourceVersion = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      L result = list.apply(new ListOptionsBuilder().withLimit(pageSize).withContinue(cont).build());
      result.getItems().forEach(each);
      if (result.getMetadata() != null) {
        if (resourceVersion == null) {
          resourceVersion = result.getMetadata().getResourceVersion(); // all pages of one list share the first's
        }
        cont = result.getMetadata().getContinue();
      } else {
        cont = null;
      }
      if (cont == null || cont.isEmpty()) {
        return resourceVersion;
      }
    }
    throw new KubernetesClientException("list did not end after " + MAX_PAGES + " pages");
  }
}
