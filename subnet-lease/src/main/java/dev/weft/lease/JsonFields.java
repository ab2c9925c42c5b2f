package dev.weft.lease;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import dev.weft.net.Texts;

/**
 * The members of one JSON object looked up the way Go's encoding/json does for flannel: case-insensitively, the last
 * of several spellings winning. Typed getters raise {@link ConfigException} with the field's dotted name; whatever is
 * never taken is reported as unknown by {@link #warnUnknown}.
 */
final class JsonFields {
  private final String path; // "" for the top level, "Backend." inside Backend
  private final Map<String, Map.Entry<String, JsonNode>> byLowerKey = new LinkedHashMap<>();

  JsonFields(String path, JsonNode object, Consumer<String> warnings) throws ConfigException {
    this.path = path;
    if (!object.isObject()) {
      String name = path.isEmpty() ? "net-conf.json" : path.substring(0, path.length() - 1);
      throw new ConfigException(name, excerpt(object), "must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      var previous = byLowerKey.put(e.getKey().toLowerCase(Locale.ROOT), Map.entry(e.getKey(), e.getValue()));
      if (previous != null) {
        warnings.accept("net-conf.json: " + path + e.getKey() + " appears more than once (also as "
            + Texts.quote(previous.getKey()) + "); the last one is used");
      }
    }
  }

  /** Removes and returns the member, absent when missing or JSON null (as Go leaves the default in place). */
  Optional<JsonNode> take(String name) {
    var e = byLowerKey.remove(name.toLowerCase(Locale.ROOT));
    return e == null || e.getValue().isNull() ? Optional.empty() : Optional.of(e.getValue());
  }

  Optional<String> string(String name) throws ConfigException {
    Optional<JsonNode> n = take(name);
    if (n.isPresent() && !n.get().isTextual()) {
      throw new ConfigException(path + name, excerpt(n.get()), "must be a string");
    }
    return n.map(JsonNode::textValue);
  }

  OptionalInt integer(String name, long min, long max) throws ConfigException {
    Optional<JsonNode> n = take(name);
    if (n.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode v = n.get();
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw new ConfigException(path + name, excerpt(v), "must be a whole number from " + min + " to " + max);
    }
    return OptionalInt.of(v.intValue());
  }

  Optional<Boolean> bool(String name) throws ConfigException {
    Optional<JsonNode> n = take(name);
    if (n.isPresent() && !n.get().isBoolean()) {
      throw new ConfigException(path + name, excerpt(n.get()), "must be true or false");
    }
    return n.map(JsonNode::booleanValue);
  }

  /** One warning per member nobody took. */
  void warnUnknown(Consumer<String> warnings) {
    for (var e : byLowerKey.values()) {
      warnings.accept("net-conf.json: unknown field " + Texts.quote(path + e.getKey()) + " ignored");
    }
  }

  String path() {
    return path;
  }

  static String excerpt(JsonNode node) {
    return node.isTextual() ? Texts.quote(node.textValue()) : Texts.excerpt(node.toString());
  }
}
