package dev.weft.cni.json;

/** JSON {@code null}. */
public enum JsonNull implements Json {
    INSTANCE;

    @Override
    public String kind() {
        return "null";
    }

    @Override
    public Json copy() {
        return this;
    }
}
