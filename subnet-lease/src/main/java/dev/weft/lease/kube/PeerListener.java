package dev.weft.lease.kube;

/**
 * Callbacks from {@link PeerWatcher}. They only inform: an implementation should enqueue a reconcile and return, never
 * do the work on the watcher's thread. Exceptions thrown here are logged and otherwise ignored.
 */
public interface PeerListener {
  /** The peer set changed (a peer appeared, disappeared, or changed subnet, public IP, VtepMAC or IPv6 fields). */
  void peersChanged();

  /** A node claims to be a peer but {@code reason} makes it unusable; called once per node and distinct reason. */
  default void invalidPeer(String node, String reason) {}

  /** The Node watch connected ({@code true}) or lost its connection ({@code false}); called on changes only. */
  default void watchState(boolean connected, String detail) {}
}
