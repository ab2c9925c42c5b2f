package dev.weft.cni.types;

/**
 * One container interface on the network: the spec's primary key for plugin state, minus the
 * network name (weft keeps one data directory per network configuration). Both parts have
 * passed {@link Names} validation.
 */
public record Attachment(String containerId, String ifName) {
    public Attachment {
        String p = Names.containerIdProblem(containerId);
        if (p == null) {
            p = Names.ifNameProblem(ifName);
        }
        if (p != null) {
            throw new IllegalArgumentException("invalid attachment: " + p);
        }
    }

    /** The attachment, or null when either name fails validation. */
    public static Attachment validOrNull(String containerId, String ifName) {
        if (Names.containerIdProblem(containerId) != null || Names.ifNameProblem(ifName) != null) {
            return null;
        }
        return new Attachment(containerId, ifName);
    }

    @Override
    public String toString() {
        return containerId + "@" + ifName;
    }
}
