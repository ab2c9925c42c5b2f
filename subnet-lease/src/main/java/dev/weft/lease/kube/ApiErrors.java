package dev.weft.lease.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Sorting API failures into {@link LeaseFailure} kinds and one-line messages (never with credentials in them). */
final class ApiErrors {
  private static final int MAX_DETAIL = 300;

  private ApiErrors() {}

  static LeaseAttempt.Failed failure(KubernetesClientException e, String doing) {
    int code = e.getCode();
    if (isUnreachable(e)) {
      return new LeaseAttempt.Failed(LeaseFailure.API_UNREACHABLE, "Kubernetes API unreachable while " + doing + ": " + detail(e));
    }
    if (code == 401 || code == 403) {
      return new LeaseAttempt.Failed(LeaseFailure.FORBIDDEN, "Kubernetes API refused " + doing + " (HTTP " + code + "): "
          + detail(e) + "; grant weft the RBAC rules listed in subnet-lease/README.md");
    }
    return new LeaseAttempt.Failed(LeaseFailure.API_ERROR, "Kubernetes API error while " + doing + " (HTTP " + code + "): " + detail(e));
  }

  /** No answer at all, or a gateway/unavailable answer from a proxy or a starting API server. */
  static boolean isUnreachable(KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0 || code == 502 || code == 503 || code == 504) {
      return true;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  static boolean isConflict(KubernetesClientException e) {
    return e.getCode() == 409;
  }

  static boolean isNotFound(KubernetesClientException e) {
    return e.getCode() == 404;
  }

  /** The API server's own message when it sent a Status, else the exception's, cut short. */
  static String detail(KubernetesClientException e) {
    String text = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : rootMessage(e);
    return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root == e ? String.valueOf(m) : root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
