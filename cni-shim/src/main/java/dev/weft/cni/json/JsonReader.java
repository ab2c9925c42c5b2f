package dev.weft.cni.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict RFC 8259 parser: one value, optional surrounding whitespace, nothing else. Numbers
 * keep their text; a repeated object key keeps the last value (as Go's encoding/json does, which
 * is what runtimes and the standard plugins use). Nesting is capped so hostile input cannot
 * exhaust the stack.
 */
public final class JsonReader {
    /** Deeper than any network configuration; low enough that recursion stays cheap. */
    static final int MAX_DEPTH = 64;

    private final String s;
    private int pos;
    private int depth;

    private JsonReader(String s) {
        this.s = s;
    }

    /** Parses UTF-8 bytes; malformed UTF-8 is an error, not replaced. */
    public static Json parse(byte[] utf8) throws JsonException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("input is not valid UTF-8", 0);
        }
        return parse(text);
    }

    /** Parses exactly one JSON value from {@code text}. */
    public static Json parse(String text) throws JsonException {
        JsonReader r = new JsonReader(text);
        r.skipWhitespace();
        if (r.pos >= text.length()) {
            throw new JsonException("empty input, expected a JSON value", r.pos);
        }
        Json v = r.readValue();
        r.skipWhitespace();
        if (r.pos != text.length()) {
            throw new JsonException("unexpected text after the JSON value", r.pos);
        }
        return v;
    }

    private Json readValue() throws JsonException {
        if (pos >= s.length()) {
            throw new JsonException("unexpected end of input", pos);
        }
        char c = s.charAt(pos);
        if (c == '{') {
            return readObject();
        } else if (c == '[') {
            return readArray();
        } else if (c == '"') {
            return new JsonString(readString());
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            return readNumber();
        } else if (s.startsWith("true", pos)) {
            pos += 4;
            return JsonBool.TRUE;
        } else if (s.startsWith("false", pos)) {
            pos += 5;
            return JsonBool.FALSE;
        } else if (s.startsWith("null", pos)) {
            pos += 4;
            return JsonNull.INSTANCE;
        }
        throw new JsonException("unexpected character '" + printable(c) + "'", pos);
    }

    private JsonObject readObject() throws JsonException {
        enter();
        pos++; // '{'
        JsonObject o = new JsonObject();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return o;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new JsonException("expected a string key", pos);
            }
            String key = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            o.put(key, readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return o;
            }
            if (c != ',') {
                throw new JsonException("expected ',' or '}' in object", pos - 1);
            }
        }
    }

    private JsonArray readArray() throws JsonException {
        enter();
        pos++; // '['
        JsonArray a = new JsonArray();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return a;
        }
        while (true) {
            skipWhitespace();
            a.add(readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return a;
            }
            if (c != ',') {
                throw new JsonException("expected ',' or ']' in array", pos - 1);
            }
        }
    }

    private String readString() throws JsonException {
        int start = ++pos; // after the opening quote
        StringBuilder sb = null;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                String tail = s.substring(start, pos++);
                return sb == null ? tail : sb.append(tail).toString();
            }
            if (c < 0x20) {
                throw new JsonException("control character in string", pos);
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, start, pos);
                readEscape(sb);
                start = pos;
            } else {
                pos++;
            }
        }
        throw new JsonException("unterminated string", pos);
    }

    private void readEscape(StringBuilder sb) throws JsonException {
        if (pos + 1 >= s.length()) {
            throw new JsonException("unterminated escape", pos);
        }
        char e = s.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> sb.append(readHex4());
            default -> throw new JsonException("invalid escape '\\" + printable(e) + "'", pos - 2);
        }
    }

    private char readHex4() throws JsonException {
        if (pos + 4 > s.length()) {
            throw new JsonException("truncated \\u escape", pos);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) {
                throw new JsonException("invalid hex digit in \\u escape", pos + i);
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private JsonNumber readNumber() throws JsonException {
        int end = scanNumber(s, pos);
        if (end < 0) {
            throw new JsonException("malformed number", pos);
        }
        JsonNumber n = new JsonNumber(s.substring(pos, end));
        pos = end;
        return n;
    }

    /**
     * Scans one number starting at {@code start}; returns the index after it, or -1 when the text
     * there is not a valid number ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}).
     */
    static int scanNumber(String s, int start) {
        int i = start;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (isDigit(s.charAt(i))) {
            i = digits(s, i);
        } else {
            return -1;
        }
        if (i < n && s.charAt(i) == '.') {
            int after = digits(s, i + 1);
            if (after == i + 1) {
                return -1;
            }
            i = after;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int after = digits(s, i);
            if (after == i) {
                return -1;
            }
            i = after;
        }
        return i;
    }

    private static int digits(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void enter() throws JsonException {
        if (++depth > MAX_DEPTH) {
            throw new JsonException("nesting deeper than " + MAX_DEPTH, pos);
        }
    }

    private char peek() throws JsonException {
        if (pos >= s.length()) {
            throw new JsonException("unexpected end of input", pos);
        }
        return s.charAt(pos);
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw new JsonException("expected '" + c + "'", pos);
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? "\\u" + Integer.toHexString(0x10000 | c).substring(1) : String.valueOf(c);
    }
}
