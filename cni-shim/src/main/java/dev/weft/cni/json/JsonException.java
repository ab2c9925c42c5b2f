package dev.weft.cni.json;

/** Malformed JSON text, with the character offset where reading stopped. */
public final class JsonException extends Exception {
    private final int offset;

    public JsonException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    /** Character offset into the text where the problem was found. */
    public int offset() {
        return offset;
    }
}
