package dev.weft.cni.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {
    @Test
    void readsEveryKindOfValue() throws Exception {
        Json j = JsonReader.parse(" {\"s\":\"x\",\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,{}],\"o\":{\"k\":[]}} ");
        JsonObject o = (JsonObject) j;
        assertThat(o.optString("s")).isEqualTo("x");
        assertThat(o.get("n")).isEqualTo(new JsonNumber("-1.5e3"));
        assertThat(o.optBool("t")).isTrue();
        assertThat(o.optBool("f")).isFalse();
        assertThat(o.get("z")).isSameAs(JsonNull.INSTANCE);
        assertThat(o.optArray("a").size()).isEqualTo(2);
        assertThat(o.optObject("o").optArray("k").size()).isZero();
        assertThat(o.keys()).containsExactly("s", "n", "t", "f", "z", "a", "o");
    }

    @Test
    void keepsNumberSpellingsAndKeyOrderThroughARoundTrip() throws Exception {
        String text = "{\"z\":1e3,\"a\":1.50,\"m\":-0,\"b\":12345678901234567890,\"e\":2E-7}";
        assertThat(JsonReader.parse(text).toJson()).isEqualTo(text);
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() throws Exception {
        JsonString s = (JsonString) JsonReader.parse("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\"");
        assertThat(s.value()).isEqualTo("a\"b\\c/d\n\té\uD83D\uDE00");
    }

    @Test
    void repeatedKeyKeepsTheLastValueLikeGo() throws Exception {
        JsonObject o = (JsonObject) JsonReader.parse("{\"k\":1,\"other\":2,\"k\":3}");
        assertThat(o.get("k")).isEqualTo(new JsonNumber("3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-",
        "1e", "+1", "tru", "nul", "\"unterminated", "\"bad \\x escape\"", "\"\\u12g4\"", "{} {}", "[1] x",
        "'single'", "NaN", "\"tab\there\""})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(JsonException.class);
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bad = {'"', (byte) 0xc3, (byte) 0x28, '"'};
        assertThatThrownBy(() -> JsonReader.parse(bad)).isInstanceOf(JsonException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void acceptsUtf8Bytes() throws Exception {
        assertThat(JsonReader.parse("\"é\"".getBytes(StandardCharsets.UTF_8))).isEqualTo(new JsonString("é"));
    }

    @Test
    void capsNestingSoHostileInputCannotExhaustTheStack() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonReader.parse(deep)).isInstanceOf(JsonException.class).hasMessageContaining("nesting");
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(ok).satisfies(t -> assertThat(JsonReader.parse(t)).isInstanceOf(JsonArray.class));
    }

    @Test
    void reportsWhereItStopped() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":1 \"b\":2}"))
                .isInstanceOfSatisfying(JsonException.class, e -> assertThat(e.offset()).isEqualTo(7));
    }

    @Test
    void typedAccessorsTellAbsentFromWrongKind() throws Exception {
        JsonObject o = (JsonObject) JsonReader.parse("{\"n\":1,\"s\":\"x\",\"f\":1.5}");
        assertThat(o.optString("missing")).isNull();
        assertThat(o.optInt("n")).isEqualTo(1);
        assertThatThrownBy(() -> o.optString("n")).isInstanceOf(JsonTypeException.class)
                .hasMessage("\"n\" must be a string, not number");
        assertThatThrownBy(() -> o.optInt("f")).isInstanceOf(JsonTypeException.class);
        assertThatThrownBy(() -> o.optObject("s")).isInstanceOf(JsonTypeException.class);
        assertThatThrownBy(() -> o.optArray("s")).isInstanceOf(JsonTypeException.class);
        assertThatThrownBy(() -> o.optBool("s")).isInstanceOf(JsonTypeException.class);
    }
}
