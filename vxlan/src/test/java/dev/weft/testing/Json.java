package dev.weft.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for tests that cross-check weft against {@code ip -j} / {@code bridge -j}
 * output: objects become {@code Map<String, Object>}, arrays {@code List<Object>}, numbers
 * {@code Long} or {@code Double}, plus String, Boolean and null.
 */
public final class Json {
    private final String s;
    private int p;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value; throws IllegalArgumentException with the position on bad input. */
    public static Object parse(String text) {
        Json j = new Json(text);
        Object v = j.value();
        j.ws();
        if (j.p != j.s.length()) {
            throw j.error("trailing characters");
        }
        return v;
    }

    /** Parses a JSON array of objects, the shape {@code ip -j} prints. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> parseArray(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : (List<Map<String, Object>>) parse(t);
    }

    private Object value() {
        ws();
        if (p >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(p);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        p++;
        ws();
        if (peek('}')) {
            p++;
            return m;
        }
        while (true) {
            ws();
            String k = string();
            ws();
            expect(':');
            m.put(k, value());
            ws();
            if (peek(',')) {
                p++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        p++;
        ws();
        if (peek(']')) {
            p++;
            return l;
        }
        while (true) {
            l.add(value());
            ws();
            if (peek(',')) {
                p++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (p < s.length()) {
            char c = s.charAt(p++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                if (p >= s.length()) {
                    break;
                }
                char e = s.charAt(p++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                        p += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        throw error("unterminated string");
    }

    private Object number() {
        int start = p;
        while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
            p++;
        }
        String n = s.substring(start, p);
        if (n.isEmpty()) {
            throw error("unexpected character '" + s.charAt(p) + "'");
        }
        return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, p)) {
            throw error("expected " + word);
        }
        p += word.length();
        return v;
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private boolean peek(char c) {
        return p < s.length() && s.charAt(p) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        p++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at " + p + ": " + what);
    }
}
