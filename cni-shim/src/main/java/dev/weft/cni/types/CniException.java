package dev.weft.cni.types;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonObject;

/**
 * A CNI error: a code (see {@link ErrorCodes}), a message a human can act on, and optional
 * details. It is what the plugin prints on stdout when a command fails.
 */
public final class CniException extends Exception {
    private final int code;
    private final String details;

    public CniException(int code, String msg) {
        this(code, msg, null, null);
    }

    public CniException(int code, String msg, String details) {
        this(code, msg, details, null);
    }

    public CniException(int code, String msg, String details, Throwable cause) {
        super(msg, cause);
        if (msg == null || msg.isEmpty()) {
            throw new IllegalArgumentException("a CNI error needs a message");
        }
        this.code = code;
        this.details = details == null || details.isEmpty() ? null : details;
    }

    public int code() {
        return code;
    }

    /** The {@code msg} field. */
    public String msg() {
        return getMessage();
    }

    /** The {@code details} field, or null. */
    public String details() {
        return details;
    }

    /** The error as the spec's JSON object, tagged with {@code version}. */
    public JsonObject toJson(CniVersion version) {
        JsonObject o = new JsonObject()
                .put("cniVersion", version.text())
                .put("code", code)
                .put("msg", getMessage());
        if (details != null) {
            o.put("details", details);
        }
        return o;
    }

    /**
     * Reads a CNI error object printed by another plugin; null when {@code json} is not one
     * (no integer {@code code} or no string {@code msg}).
     */
    public static CniException fromJson(Json json) {
        if (!(json instanceof JsonObject o)) {
            return null;
        }
        try {
            Integer code = o.optInt("code");
            String msg = o.optString("msg");
            if (code == null || msg == null || msg.isEmpty()) {
                return null;
            }
            return new CniException(code, msg, o.optString("details"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "CNI error " + code + ": " + getMessage() + (details == null ? "" : " (" + details + ")");
    }
}
