package dev.weft.logging;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import dev.weft.json.JsonWriter;
import org.slf4j.event.KeyValuePair;

/**
 * Renders each log event as one JSON object on one line: {@code time} (UTC, ISO-8601),
 * {@code level}, {@code logger}, {@code thread}, {@code msg}, then SLF4J key/value pairs and MDC
 * entries as further string members, and {@code error}/{@code stack} when a throwable is
 * attached. Embedded newlines are escaped, so a stack trace never splits a record.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("time", "level", "logger", "thread", "msg", "error", "stack");

    @Override
    public String doLayout(ILoggingEvent event) {
        JsonWriter w = new JsonWriter(new StringBuilder(256));
        w.beginObject()
                .field("time", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.getTimeStamp())))
                .field("level", event.getLevel().toString())
                .field("logger", event.getLoggerName())
                .field("thread", event.getThreadName())
                .field("msg", event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                extra(w, kv.key, kv.value);
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> extra(w, k, v));
        }
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            w.field("error", t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            w.field("stack", ThrowableProxyUtil.asString(t));
        }
        return w.endObject() + CoreConstants.LINE_SEPARATOR;
    }

    // A caller's key never overwrites a fixed member; it gets a prefix instead.
    private static void extra(JsonWriter w, String key, Object value) {
        String name = RESERVED.contains(key) ? "kv." + key : key;
        w.field(name, value == null ? null : String.valueOf(value));
    }

    @Override
    public String getContentType() {
        return "application/json";
    }
}
