package dev.weft.cni.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A mutable JSON object that keeps its keys in insertion (source) order. Typed accessors return
 * null when a key is absent and throw {@link JsonTypeException} when it holds the wrong kind, so
 * callers can tell "not set" from "set to nonsense".
 */
public final class JsonObject implements Json {
    private final LinkedHashMap<String, Json> members = new LinkedHashMap<>();

    public JsonObject() {
    }

    /** The value under {@code key}, or null. */
    public Json get(String key) {
        return members.get(key);
    }

    public boolean has(String key) {
        return members.containsKey(key);
    }

    /** Sets {@code key}; a later put of the same key replaces the value but keeps its position. */
    public JsonObject put(String key, Json value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("JsonObject keys and values must not be null");
        }
        members.put(key, value);
        return this;
    }

    public JsonObject put(String key, String value) {
        return put(key, new JsonString(value));
    }

    public JsonObject put(String key, boolean value) {
        return put(key, JsonBool.of(value));
    }

    public JsonObject put(String key, long value) {
        return put(key, JsonNumber.of(value));
    }

    /** Removes {@code key}; returns the old value or null. */
    public Json remove(String key) {
        return members.remove(key);
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(members.keySet());
    }

    public Set<Map.Entry<String, Json>> entries() {
        return Collections.unmodifiableSet(members.entrySet());
    }

    public int size() {
        return members.size();
    }

    /** The string under {@code key}, or null when absent. */
    public String optString(String key) {
        Json v = members.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new JsonTypeException(key, "a string", v);
    }

    /** The object under {@code key}, or null when absent. */
    public JsonObject optObject(String key) {
        Json v = members.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new JsonTypeException(key, "an object", v);
    }

    /** The array under {@code key}, or null when absent. */
    public JsonArray optArray(String key) {
        Json v = members.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonArray a) {
            return a;
        }
        throw new JsonTypeException(key, "an array", v);
    }

    /** The boolean under {@code key}, or null when absent. */
    public Boolean optBool(String key) {
        Json v = members.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonBool b) {
            return Boolean.valueOf(b.value());
        }
        throw new JsonTypeException(key, "true or false", v);
    }

    /** The integer under {@code key}, or null when absent. */
    public Integer optInt(String key) {
        Json v = members.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonNumber n) {
            Integer i = n.intValueExact();
            if (i != null) {
                return i;
            }
        }
        throw new JsonTypeException(key, "an integer", v);
    }

    @Override
    public String kind() {
        return "object";
    }

    @Override
    public JsonObject copy() {
        JsonObject c = new JsonObject();
        for (Map.Entry<String, Json> e : members.entrySet()) {
            c.members.put(e.getKey(), e.getValue().copy());
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonObject other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
