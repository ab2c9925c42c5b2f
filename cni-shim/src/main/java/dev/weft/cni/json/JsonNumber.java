package dev.weft.cni.json;

/**
 * A JSON number kept as its source text, so that passing a configuration through never turns
 * {@code 1e3} into {@code 1000.0} or {@code 1.50} into {@code 1.5}.
 */
public record JsonNumber(String text) implements Json {
    public JsonNumber {
        if (!isValid(text)) {
            throw new IllegalArgumentException("not a JSON number: " + text);
        }
    }

    public static JsonNumber of(long v) {
        return new JsonNumber(Long.toString(v));
    }

    /** The value as an int when it is an integer in int range (no fraction, no exponent), else null. */
    public Integer intValueExact() {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return null;
            }
        }
        try {
            return Integer.valueOf(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String kind() {
        return "number";
    }

    @Override
    public Json copy() {
        return this;
    }

    /** True when {@code s} is exactly one number in RFC 8259 grammar. */
    static boolean isValid(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        int end = JsonReader.scanNumber(s, 0);
        return end == s.length();
    }
}
