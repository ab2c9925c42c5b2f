package dev.weft.lease.kube;

import dev.weft.lease.PeerInfo;
import dev.weft.lease.kube.PeerParser.Invalid;
import dev.weft.lease.kube.PeerParser.Peer;
import dev.weft.lease.kube.PeerParser.PeerRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compact peer state: one {@link PeerInfo} per valid peer and one reason per invalid one, nothing else of the
 * Node. Every change reports whether the peer set really changed (a kubelet status update changes nothing here) and
 * which problems are new, so each (node, problem) is warned about once rather than on every event. Readers get
 * immutable snapshots; writers are serialised by the watcher.
 */
final class PeerTable {
  /** What one update did. */
  record Change(boolean peersChanged, List<Map.Entry<String, String>> newProblems) {
    static final Change NONE = new Change(false, List.of());
  }

  private final Map<String, PeerInfo> peers = new HashMap<>();
  private final Map<String, String> invalid = new HashMap<>();
  private final Map<String, String> ipv6Problems = new HashMap<>();
  private volatile Map<String, PeerInfo> peerSnapshot = Map.of();
  private volatile Map<String, String> invalidSnapshot = Map.of();
  private volatile Map<String, String> ipv6ProblemSnapshot = Map.of();

  Map<String, PeerInfo> peers() {
    return peerSnapshot;
  }

  Map<String, String> invalid() {
    return invalidSnapshot;
  }

  /** Valid peers whose IPv6 part was dropped, with the reason. */
  Map<String, String> ipv6Problems() {
    return ipv6ProblemSnapshot;
  }

  /** Records the latest state of one node. */
  synchronized Change put(String node, PeerRecord record) {
    List<Map.Entry<String, String>> problems = new ArrayList<>();
    boolean changed = putOne(node, record, problems);
    return publish(changed, problems);
  }

  /** Records the latest state of several nodes (a page of a list) at once; unlike {@link #replaceAll}, forgets none. */
  synchronized Change putAll(Map<String, PeerRecord> records) {
    List<Map.Entry<String, String>> problems = new ArrayList<>();
    boolean changed = false;
    for (var e : records.entrySet()) {
      changed |= putOne(e.getKey(), e.getValue(), problems);
    }
    return publish(changed, problems);
  }

  /** Forgets a deleted node. */
  synchronized Change remove(String node) {
    boolean changed = peers.remove(node) != null;
    invalid.remove(node);
    ipv6Problems.remove(node);
    return publish(changed, List.of());
  }

  /** Replaces everything with the result of a full LIST: nodes missing from it are gone. */
  synchronized Change replaceAll(Map<String, PeerRecord> all) {
    List<Map.Entry<String, String>> problems = new ArrayList<>();
    boolean changed = false;
    Set<String> known = new HashSet<>(peers.keySet());
    known.addAll(invalid.keySet());
    for (String node : known) {
      if (!all.containsKey(node)) {
        changed |= peers.remove(node) != null;
        invalid.remove(node);
        ipv6Problems.remove(node);
      }
    }
    for (var e : all.entrySet()) {
      changed |= putOne(e.getKey(), e.getValue(), problems);
    }
    return publish(changed, problems);
  }

  private boolean putOne(String node, PeerRecord record, List<Map.Entry<String, String>> problems) {
    switch (record) {
      case Peer p -> {
        invalid.remove(node);
        String v6 = p.ipv6Problem().orElse(null);
        if (v6 != null && !v6.equals(ipv6Problems.put(node, v6))) {
          problems.add(Map.entry(node, "IPv6 ignored: " + v6));
        } else if (v6 == null) {
          ipv6Problems.remove(node);
        }
        return !p.info().equals(peers.put(node, p.info()));
      }
      case Invalid bad -> {
        ipv6Problems.remove(node);
        if (!bad.reason().equals(invalid.put(node, bad.reason()))) {
          problems.add(Map.entry(node, bad.reason()));
        }
        return peers.remove(node) != null;
      }
      case PeerParser.NotPeer ignored -> {
        invalid.remove(node);
        ipv6Problems.remove(node);
        return peers.remove(node) != null;
      }
    }
  }

  private Change publish(boolean changed, List<Map.Entry<String, String>> problems) {
    if (changed) {
      peerSnapshot = Map.copyOf(peers);
    }
    if (!Objects.equals(invalidSnapshot, invalid)) {
      invalidSnapshot = Map.copyOf(invalid);
    }
    if (!Objects.equals(ipv6ProblemSnapshot, ipv6Problems)) {
      ipv6ProblemSnapshot = Map.copyOf(ipv6Problems);
    }
    return changed || !problems.isEmpty() ? new Change(changed, List.copyOf(problems)) : Change.NONE;
  }
}
