package dev.weft.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesNestedDocuments() {
        String s = new JsonWriter().beginObject().field("a", "x").field("n", 3).field("b", true)
                .name("list").beginArray().value("p").value(2).beginObject().endObject().endArray()
                .field("none", (String) null).endObject().toString();
        assertThat(s).isEqualTo("{\"a\":\"x\",\"n\":3,\"b\":true,\"list\":[\"p\",2,{}],\"none\":null}");
    }

    @Test
    void escapesEverythingJsonRequires() {
        StringBuilder b = new StringBuilder();
        JsonWriter.quote(b, "q\" b\\ n\n r\r t\t \u0000 \u001f \u2028 é");
        assertThat(b).hasToString("\"q\\\" b\\\\ n\\n r\\r t\\t \\u0000 \\u001f \\u2028 é\"");
    }

    @Test
    void refusesMisuse() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").endObject()).isInstanceOf(IllegalStateException.class);
    }
}
