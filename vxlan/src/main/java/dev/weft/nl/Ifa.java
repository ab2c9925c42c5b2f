package dev.weft.nl;

/** Address attributes ({@code linux/if_addr.h}). */
public final class Ifa {
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_MAX_READ = IFA_FLAGS;

    /** sizeof(struct ifaddrmsg). */
    public static final int IFADDRMSG_SIZE = 8;

    private Ifa() {
    }
}
