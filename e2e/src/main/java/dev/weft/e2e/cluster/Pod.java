package dev.weft.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A pod: a network namespace wired by the CNI chain on its node.
 *
 * @param ip its first address: IPv4, or IPv6 on an IPv6-only cluster
 */
public record Pod(String name, Ns ns, Node node, String ip, JsonNode cniResult) {
    /** The container id the runtime used for it. */
    public String containerId() {
        return "e2e-" + ns.name();
    }

    @Override
    public String toString() {
        return name + "(" + ip + ")";
    }
}
