package dev.weft.cni.types;

/**
 * Error codes of the CNI spec (1-99 are reserved by it), plus weft's own (100 and up).
 * Delegated plugins' codes pass through unchanged, so codes stay plain ints.
 */
public final class ErrorCodes {
    /** The configuration's cniVersion is not one the plugin speaks, or the command needs a newer one. */
    public static final int INCOMPATIBLE_VERSION = 1;
    /** A field in the network configuration is not supported; the message names key and value. */
    public static final int UNSUPPORTED_FIELD = 2;
    /** The container is unknown; the runtime need not clean anything up. */
    public static final int UNKNOWN_CONTAINER = 3;
    /** A required environment variable is missing or invalid; the message names it. */
    public static final int INVALID_ENVIRONMENT = 4;
    /** An I/O failure, e.g. stdin could not be read or state could not be written. */
    public static final int IO_FAILURE = 5;
    /** Content could not be decoded, e.g. stdin is not JSON. */
    public static final int DECODING_FAILURE = 6;
    /** The network configuration is invalid. */
    public static final int INVALID_NETWORK_CONFIG = 7;
    /** A transient condition; the runtime should retry later (subnet.env not written yet). */
    public static final int TRY_AGAIN_LATER = 11;
    /** STATUS: the plugin cannot serve ADDs right now. */
    public static final int PLUGIN_NOT_AVAILABLE = 50;
    /** STATUS: not available, and existing containers may have limited connectivity. */
    public static final int PLUGIN_NOT_AVAILABLE_LIMITED = 51;
    /** weft: CHECK found the container's networking differs from what ADD set up. */
    public static final int CHECK_FAILED = 100;
    /** weft: the delegate plugin failed without a CNI error on stdout, or printed nonsense. */
    public static final int DELEGATE_FAILED = 101;
    /** Anything truly unexpected (a bug). */
    public static final int INTERNAL = 999;

    private ErrorCodes() {
    }
}
