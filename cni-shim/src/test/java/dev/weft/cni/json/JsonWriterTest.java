package dev.weft.cni.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesCompactJsonInInsertionOrder() {
        JsonObject o = new JsonObject().put("b", 1).put("a", "x").put("t", true)
                .put("l", new JsonArray().add("y").add(JsonNull.INSTANCE)).put("o", new JsonObject());
        assertThat(o.toJson()).isEqualTo("{\"b\":1,\"a\":\"x\",\"t\":true,\"l\":[\"y\",null],\"o\":{}}");
    }

    @Test
    void escapesControlAndNonAsciiCharactersSoOutputIsPureAscii() throws Exception {
        String tricky = "q\"b\\n\nr\rt\tb\bf\f\u0001é\u2028\uD83D\uDE00";
        String out = new JsonString(tricky).toJson();
        assertThat(out).isEqualTo("\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0001\\u00e9\\u2028\\ud83d\\ude00\"");
        assertThat(out.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
        assertThat(JsonReader.parse(out)).isEqualTo(new JsonString(tricky));
    }

    @Test
    void copyIsDeep() {
        JsonObject inner = new JsonObject().put("k", 1);
        JsonObject o = new JsonObject().put("inner", inner).put("list", new JsonArray().add(new JsonObject()));
        JsonObject c = o.copy();
        c.optObject("inner").put("k", 2);
        ((JsonObject) c.optArray("list").get(0)).put("x", "y");
        assertThat(o.toJson()).isEqualTo("{\"inner\":{\"k\":1},\"list\":[{}]}");
        assertThat(c).isNotEqualTo(o);
    }

    @Test
    void putOfAnExistingKeyKeepsItsPosition() {
        JsonObject o = new JsonObject().put("a", 1).put("b", 2).put("a", 3);
        assertThat(o.toJson()).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void numbersMustBeValidJson() {
        assertThatThrownBy(() -> new JsonNumber("1e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsonNumber("NaN")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new JsonNumber("-0.5E+10").intValueExact()).isNull();
        assertThat(new JsonNumber("1500").intValueExact()).isEqualTo(1500);
        assertThat(new JsonNumber("99999999999").intValueExact()).isNull();
    }
}
