package dev.weft.lease.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The paginated Node LIST, read as a JSON stream through the client's own HTTP client (same credentials, same
 * interceptors): of each Node only the name, the annotations under one prefix and the podCIDRs are kept, and
 * everything else a kubelet writes (images, conditions, capacity: most of a Node's 5 to 10 KB) is skipped by the
 * parser without building objects. A 5000-node list is 40 MB of JSON; read this way it costs a fraction of the CPU
 * and holds no page in memory.
 *
 * <p>Errors surface as {@link KubernetesClientException} with the HTTP code and the server's Status message, as the
 * client's own list would raise them.
 */
final class NodeLister {
  // the body stream is closed by its owner, after draining it: closing it early cancels the exchange
  private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
  /** A bound on pages (5 million objects) so a server that keeps returning continue tokens cannot loop us forever. */
  private static final int MAX_PAGES = 10_000;
  private static final int MAX_ERROR_BODY = 64 * 1024;

  /** What weft reads of one Node. */
  record Fields(String name, Map<String, String> annotations, List<String> podCidrs) {}

  private final KubernetesClient client;
  private final long pageSize;
  private final String annotationPrefix;

  /**
   * @param annotationPrefix annotations whose key starts with this are kept; empty keeps none
   */
  NodeLister(KubernetesClient client, long pageSize, String annotationPrefix) {
    this.client = client;
    this.pageSize = pageSize;
    this.annotationPrefix = annotationPrefix;
  }

  /** Feeds every Node of every page to {@code each}; returns the list's resourceVersion (where a watch continues). */
  String forEach(Consumer<Fields> each) {
    return forEachPage(page -> page.forEach(each));
  }

  /** Feeds the Nodes to {@code page} a page at a time, as each arrives; returns the list's resourceVersion. */
  String forEachPage(Consumer<List<Fields>> page) {
    String cont = null;
    String resourceVersion = null;
    for (int n = 0; n < MAX_PAGES; n++) {
      List<Fields> items = new ArrayList<>();
      Page p = page(cont, items::add);
      page.accept(items);
      if (resourceVersion == null) {
        resourceVersion = p.resourceVersion; // all pages of one list share the first's
      }
      cont = p.cont;
      if (cont == null || cont.isEmpty()) {
        return resourceVersion;
      }
    }
    throw new KubernetesClientException("list did not end after " + MAX_PAGES + " pages");
  }

  private static final class Page {
    String resourceVersion;
    String cont;
  }

  private Page page(String cont, Consumer<Fields> each) {
    String url = base() + "api/v1/nodes?limit=" + pageSize
        + (cont == null ? "" : "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8));
    HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
        .header("Accept", "application/json")
        .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS).build();
    BodyStream body = new BodyStream();
    HttpResponse<AsyncBody> response = send(request, url, body);
    try (body) {
      if (!response.isSuccessful()) {
        throw failure(response.code(), new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8), url);
      }
      Page page = read(body, each);
      drain(body, url);
      return page;
    } catch (IOException e) {
      throw new KubernetesClientException("reading the Node list from " + url + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the response to its end, which the parser may not have waited for: closing a body that has not ended
   * cancels the exchange, and that would cost the pooled connection the next request expects to reuse.
   */
  private static void drain(BodyStream body, String url) throws IOException {
    byte[] rest = new byte[4096];
    long extra = 0;
    for (int n = body.read(rest); n >= 0; n = body.read(rest)) {
      extra += n;
      if (extra > MAX_ERROR_BODY) {
        throw new IOException("more than " + MAX_ERROR_BODY + " bytes after the Node list from " + url);
      }
    }
  }

  private HttpResponse<AsyncBody> send(HttpRequest request, String url, BodyStream body) {
    var pending = client.getHttpClient().consumeBytes(request, body);
    try {
      HttpResponse<AsyncBody> response = pending.get(client.getConfiguration().getRequestTimeout() + 5_000L,
          TimeUnit.MILLISECONDS);
      body.start(response.body());
      return response;
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while listing Nodes", e);
    } catch (ExecutionException e) {
      throw new KubernetesClientException("listing Nodes at " + url + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new KubernetesClientException("listing Nodes at " + url + " timed out", e);
    }
  }

  private String base() {
    String master = client.getMasterUrl().toString();
    return master.endsWith("/") ? master : master + "/";
  }

  private Page read(InputStream body, Consumer<Fields> each) throws IOException {
    Page page = new Page();
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
              case "resourceVersion" -> page.resourceVersion = p.getValueAsString();
              case "continue" -> page.cont = p.getValueAsString();
              default -> p.skipChildren();
            }
          }
        } else if (field.equals("items") && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Fields node = node(p);
            if (node.name() != null) {
              each.accept(node);
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return page;
  }

  /** One item, the parser on its START_OBJECT; leaves it on the matching END_OBJECT. */
  private Fields node(JsonParser p) throws IOException {
    String name = null;
    Map<String, String> annotations = Map.of();
    String podCidr = null;
    List<String> podCidrs = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
      } else if (field.equals("metadata")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          if (f.equals("name") && v == JsonToken.VALUE_STRING) {
            name = p.getText();
          } else if (f.equals("annotations") && v == JsonToken.START_OBJECT) {
            annotations = annotations(p);
          } else {
            p.skipChildren();
          }
        }
      } else if (field.equals("spec")) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          if (f.equals("podCIDR") && v == JsonToken.VALUE_STRING) {
            podCidr = p.getText();
          } else if (f.equals("podCIDRs") && v == JsonToken.START_ARRAY) {
            podCidrs = strings(p);
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return new Fields(name, annotations, PodCidrs.raw(podCidr, podCidrs));
  }

  private Map<String, String> annotations(JsonParser p) throws IOException {
    Map<String, String> kept = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_STRING && !annotationPrefix.isEmpty() && key.startsWith(annotationPrefix)) {
        if (kept == null) {
          kept = new HashMap<>();
        }
        kept.put(key, p.getText());
      } else {
        p.skipChildren();
      }
    }
    return kept == null ? Map.of() : kept;
  }

  private static List<String> strings(JsonParser p) throws IOException {
    List<String> out = new ArrayList<>(2);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
      if (t == JsonToken.VALUE_STRING) {
        out.add(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
    if (actual != wanted) {
      throw new IOException("the Node list is not a JSON object (found " + actual + ")");
    }
  }

  private static KubernetesClientException failure(int code, String body, String url) {
    String message = "HTTP " + code + " from " + url;
    String reason = null;
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          switch (f) {
            case "message" -> message = p.getValueAsString(message);
            case "reason" -> reason = p.getValueAsString();
            default -> p.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      // not a Status: the HTTP code says enough
    }
    Status status = new StatusBuilder().withCode(code).withMessage(message).withReason(reason).build();
    return new KubernetesClientException(message, code, status);
  }
}
