package dev.weft.cni.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A mutable JSON array. */
public final class JsonArray implements Json {
    private final ArrayList<Json> items = new ArrayList<>();

    public JsonArray() {
    }

    public JsonArray add(Json value) {
        if (value == null) {
            throw new IllegalArgumentException("JsonArray items must not be null");
        }
        items.add(value);
        return this;
    }

    public JsonArray add(String value) {
        return add(new JsonString(value));
    }

    public Json get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    /** A read-only view of the items. */
    public List<Json> items() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public String kind() {
        return "array";
    }

    @Override
    public JsonArray copy() {
        JsonArray c = new JsonArray();
        for (Json j : items) {
            c.items.add(j.copy());
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonArray other && items.equals(other.items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
