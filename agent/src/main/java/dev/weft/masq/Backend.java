package dev.weft.masq;

/** Where weft's rules live. */
public enum Backend {
    /** iptables over nf_tables ({@code iptables-nft-save/restore}): chains WEFT-POSTRTG and WEFT-FWD. */
    IPTABLES_NFT("iptables-nft"),
    /** Legacy x_tables ({@code iptables-legacy-save/restore}): the same chains. */
    IPTABLES_LEGACY("iptables-legacy"),
    /** Native nftables: {@code table inet weft}. */
    NFTABLES("nftables");

    private final String label;

    Backend(String label) {
        this.label = label;
    }

    /** {@code iptables-nft}, {@code iptables-legacy} or {@code nftables}. */
    public String label() {
        return label;
    }

    /** The save tool for one IP family ({@code ip6tables-legacy-save}); not for {@link #NFTABLES}. */
    String save(boolean ipv6) {
        return tool(ipv6) + "-save";
    }

    /** The restore tool for one IP family. */
    String restore(boolean ipv6) {
        return tool(ipv6) + "-restore";
    }

    private String tool(boolean ipv6) {
        String suffix = switch (this) {
            case IPTABLES_NFT -> "-nft";
            case IPTABLES_LEGACY -> "-legacy";
            case NFTABLES -> throw new IllegalStateException("nftables has no iptables tools");
        };
        return (ipv6 ? "ip6tables" : "iptables") + suffix;
    }
}
