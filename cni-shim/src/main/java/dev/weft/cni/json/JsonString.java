package dev.weft.cni.json;

/** A JSON string. */
public record JsonString(String value) implements Json {
    public JsonString {
        if (value == null) {
            throw new IllegalArgumentException("JsonString value must not be null");
        }
    }

    @Override
    public String kind() {
        return "string";
    }

    @Override
    public Json copy() {
        return this;
    }
}
