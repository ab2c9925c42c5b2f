package dev.weft.e2e.pod;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One node of a parsed manifest together with its path, so every error can name the field. Reading
 * is strict: a missing required field, a value of the wrong kind and (through {@link #only}) a field
 * nobody asked for all fail with the path.
 */
record Field(JsonNode node, String path) {

    static Field root(JsonNode node) {
        return new Field(node, "");
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The object's fields must all be in {@code known}; the first other one fails, by name. */
    Field only(Set<String> known) {
        object();
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new ManifestException(child(first), "field the harness cannot map (it maps " + new TreeSet<>(known) + ")");
        }
        return this;
    }

    Field object() {
        if (!node.isObject()) {
            throw new ManifestException(path, "expected an object, found " + describe());
        }
        return this;
    }

    Field required(String name) {
        return optional(name).orElseThrow(() -> new ManifestException(child(name), "missing"));
    }

    Optional<Field> optional(String name) {
        object();
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(new Field(v, child(name)));
    }

    String text() {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new ManifestException(path, "expected a non-empty string, found " + describe());
        }
        return node.asText();
    }

    /** A string, or a number written without quotes (ports, modes), as text. */
    String scalar() {
        if (node.isNumber()) {
            return node.asText();
        }
        return text();
    }

    boolean bool() {
        if (!node.isBoolean()) {
            throw new ManifestException(path, "expected true or false, found " + describe());
        }
        return node.asBoolean();
    }

    int integer() {
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new ManifestException(path, "expected an integer, found " + describe());
        }
        return node.asInt();
    }

    /** The list's items, each with its index in the path. */
    List<Field> items() {
        if (!node.isArray()) {
            throw new ManifestException(path, "expected a list, found " + describe());
        }
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new Field(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    /** The list's items, named by their {@code name} field in the path ({@code containers[agent]}). */
    List<Field> namedItems() {
        List<Field> out = new ArrayList<>();
        for (Field item : items()) {
            String name = item.required("name").text();
            out.add(new Field(item.node, path + "[" + name + "]"));
        }
        return out;
    }

    List<String> strings() {
        return items().stream().map(Field::scalar).toList();
    }

    /** This field's path with a suffix, for errors about the value as a whole. */
    ManifestException fail(String problem) {
        return new ManifestException(path, problem);
    }

    ManifestException fail(String name, String problem) {
        return new ManifestException(child(name), problem);
    }

    private String describe() {
        return node.isObject() ? "an object" : node.isArray() ? "a list" : "'" + node.asText() + "'";
    }
}
