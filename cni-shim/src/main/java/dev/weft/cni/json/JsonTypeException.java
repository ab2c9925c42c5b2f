package dev.weft.cni.json;

/** A JSON value of the wrong kind under a key, e.g. a number where a string was expected. */
public final class JsonTypeException extends RuntimeException {
    private final String key;

    public JsonTypeException(String key, String expected, Json actual) {
        super("\"" + key + "\" must be " + expected + ", not " + actual.kind());
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
