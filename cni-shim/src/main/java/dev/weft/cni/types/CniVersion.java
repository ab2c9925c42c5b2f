package dev.weft.cni.types;

/**
 * The CNI spec versions weft speaks, oldest first. Result shapes differ between them: up to
 * 0.4.0 every IP carries a {@code "version": "4"|"6"} field, 1.0.0 dropped it, 1.1.0 added
 * interface {@code mtu}/{@code socketPath}/{@code pciID} and route {@code mtu}/{@code advmss}/
 * {@code priority}/{@code table}/{@code scope}. CHECK exists from 0.4.0, GC and STATUS from 1.1.0.
 */
public enum CniVersion {
    V0_3_0("0.3.0"),
    V0_3_1("0.3.1"),
    V0_4_0("0.4.0"),
    V1_0_0("1.0.0"),
    V1_1_0("1.1.0");

    /** The newest version weft speaks. */
    public static final CniVersion LATEST = V1_1_0;

    private final String text;

    CniVersion(String text) {
        this.text = text;
    }

    /** The version as written in {@code cniVersion}. */
    public String text() {
        return text;
    }

    /** The version spelled {@code text}, or null when weft does not speak it. */
    public static CniVersion parse(String text) {
        for (CniVersion v : values()) {
            if (v.text.equals(text)) {
                return v;
            }
        }
        return null;
    }

    public boolean atLeast(CniVersion other) {
        return compareTo(other) >= 0;
    }

    /** True when results of this version tag each IP with {@code "version"}. */
    public boolean ipsCarryVersion() {
        return compareTo(V1_0_0) < 0;
    }

    /** The supported versions as a comma-separated list for messages. */
    public static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (CniVersion v : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(v.text);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
