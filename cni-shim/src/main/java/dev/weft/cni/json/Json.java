package dev.weft.cni.json;

/**
 * A JSON value, as read by {@link JsonReader} and written by {@link JsonWriter}.
 *
 * <p>The shim owns this tiny model instead of using a data-binding library because it is exec'd
 * for every pod: no reflection, no service loading, a handful of classes. Numbers keep their
 * source text, so a network configuration passed through to the delegate plugin comes out with
 * the same number spellings it came in with; object keys keep their order.
 */
public sealed interface Json permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBool, JsonNull {

    /** A short name of the value's kind for error messages: object, array, string, number, boolean, null. */
    String kind();

    /** A deep copy: mutating the copy never changes this value. Immutable values return themselves. */
    Json copy();

    /** Compact JSON text of this value. */
    default String toJson() {
        return JsonWriter.write(this);
    }
}
