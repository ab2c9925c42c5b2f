package dev.weft.cni.json;

/** JSON {@code true} or {@code false}. */
public enum JsonBool implements Json {
    TRUE, FALSE;

    public static JsonBool of(boolean b) {
        return b ? TRUE : FALSE;
    }

    public boolean value() {
        return this == TRUE;
    }

    @Override
    public String kind() {
        return "boolean";
    }

    @Override
    public Json copy() {
        return this;
    }
}
