package dev.weft.json;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer for weft's own outputs (log lines, {@code weft status --output
 * json}). It only writes; weft never needs to parse its own JSON. Misuse (a value where a name
 * is expected, unbalanced ends) throws {@link IllegalStateException} rather than emitting broken
 * JSON.
 */
public final class JsonWriter {
    private enum Scope { OBJECT_NAME, OBJECT_VALUE, ARRAY, TOP }

    private final StringBuilder out;
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private final Deque<Boolean> first = new ArrayDeque<>();

    public JsonWriter() {
        this(new StringBuilder());
    }

    /** Appends to {@code out}; lets a caller reuse one buffer. */
    public JsonWriter(StringBuilder out) {
        this.out = out;
        scopes.push(Scope.TOP);
        first.push(true);
    }

    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        scopes.push(Scope.OBJECT_NAME);
        first.push(true);
        return this;
    }

    public JsonWriter endObject() {
        if (scopes.peek() != Scope.OBJECT_NAME) {
            throw new IllegalStateException("endObject outside an object or after a dangling name");
        }
        scopes.pop();
        first.pop();
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        scopes.push(Scope.ARRAY);
        first.push(true);
        return this;
    }

    public JsonWriter endArray() {
        if (scopes.peek() != Scope.ARRAY) {
            throw new IllegalStateException("endArray outside an array");
        }
        scopes.pop();
        first.pop();
        out.append(']');
        return this;
    }

    /** Writes a member name; the next call must write its value. */
    public JsonWriter name(String name) {
        if (scopes.peek() != Scope.OBJECT_NAME) {
            throw new IllegalStateException("name '" + name + "' outside an object");
        }
        separate();
        quote(out, name);
        out.append(':');
        scopes.pop();
        scopes.push(Scope.OBJECT_VALUE);
        return this;
    }

    /** Writes a string, or {@code null} when {@code value} is null. */
    public JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /** Shorthand for {@code name(n).value(v)}. */
    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    /** The JSON written so far; complete once every object and array is closed. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void beforeValue() {
        Scope s = scopes.peek();
        switch (s) {
            case OBJECT_VALUE -> {
                scopes.pop();
                scopes.push(Scope.OBJECT_NAME);
            }
            case ARRAY -> separate();
            case TOP -> {
                if (!first.peek()) {
                    throw new IllegalStateException("a JSON document holds one top-level value");
                }
                first.pop();
                first.push(false);
            }
            case OBJECT_NAME -> throw new IllegalStateException("a value inside an object needs a name first");
        }
    }

    private void separate() {
        if (first.peek()) {
            first.pop();
            first.push(false);
        } else {
            out.append(',');
        }
    }

    /** Appends {@code s} as a JSON string literal, escaping quotes, backslashes and control characters. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // U+2028/2029 are valid JSON but break JavaScript consumers of log lines.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
