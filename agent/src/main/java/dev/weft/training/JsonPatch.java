package dev.weft.training;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The two patch kinds the agent sends, applied to a stored object: JSON merge patch (RFC 7386) and JSON patch (RFC 6902). */
final class JsonPatch {
    private JsonPatch() {
    }

    /** RFC 7386: objects merge member by member, null removes, anything else replaces. */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode child) {
                merge(child, v);
            } else {
                target.set(e.getKey(), v.deepCopy());
            }
        }
    }

    /** RFC 6902 {@code add}, {@code replace} and {@code test} with plain paths ({@code -} appends to an array). */
    static void apply(ObjectNode target, ArrayNode ops) {
        for (JsonNode op : ops) {
            String[] path = op.path("path").asText().substring(1).split("/");
            JsonNode parent = target;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.isArray() ? parent.path(Integer.parseInt(path[i])) : parent.path(path[i]);
            }
            String last = path[path.length - 1];
            JsonNode value = op.path("value");
            switch (op.path("op").asText()) {
                case "test" -> {
                    JsonNode have = parent.isArray() ? parent.path(Integer.parseInt(last)) : parent.path(last);
                    if (!have.equals(value)) {
                        throw new IllegalArgumentException("test failed at " + op.path("path").asText());
                    }
                }
                case "add", "replace" -> {
                    if (parent instanceof ArrayNode a) {
                        if (last.equals("-")) {
                            a.add(value.deepCopy());
                        } else {
                            a.set(Integer.parseInt(last), value.deepCopy());
                        }
                    } else if (parent instanceof ObjectNode o) {
                        o.set(last, value.deepCopy());
                    }
                }
                default -> throw new IllegalArgumentException("unsupported patch op " + op.path("op"));
            }
        }
    }
}
