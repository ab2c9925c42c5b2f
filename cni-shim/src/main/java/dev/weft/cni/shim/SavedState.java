package dev.weft.cni.shim;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonTypeException;
import dev.weft.cni.types.Attachment;

/**
 * What ADD saves per attachment before delegating: the exact delegate configuration, so that
 * DEL (and GC) release what ADD set up even after subnet.env or the shim's configuration changed.
 *
 * @param attachment the container interface
 * @param netns      the namespace path ADD was given (for humans; DEL uses the runtime's)
 * @param delegate   the rendered delegate configuration, without prevResult
 */
public record SavedState(Attachment attachment, String netns, JsonObject delegate) {
    static final int FORMAT = 1;

    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("weftState", FORMAT)
                .put("containerID", attachment.containerId())
                .put("ifName", attachment.ifName());
        if (netns != null) {
            o.put("netns", netns);
        }
        return o.put("delegate", delegate);
    }

    /** Reads saved state; throws IllegalArgumentException when it is not weft state for {@code expected}. */
    public static SavedState fromJson(JsonObject o, Attachment expected) {
        try {
            Integer format = o.optInt("weftState");
            if (format == null || format != FORMAT) {
                throw new IllegalArgumentException("unknown state format " + o.get("weftState"));
            }
            if (!expected.containerId().equals(o.optString("containerID"))
                    || !expected.ifName().equals(o.optString("ifName"))) {
                throw new IllegalArgumentException("state names another attachment");
            }
            JsonObject delegate = o.optObject("delegate");
            if (delegate == null || delegate.optString("type") == null || delegate.optString("cniVersion") == null) {
                throw new IllegalArgumentException("state has no delegate configuration");
            }
            return new SavedState(expected, o.optString("netns"), delegate);
        } catch (JsonTypeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
