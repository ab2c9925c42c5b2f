package dev.weft.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Logger log = LoggerFactory.getLogger("dev.weft.test.Component");

    @AfterEach
    void restore() {
        Logging.configure(LogFormat.TEXT, LogLevel.INFO);
    }

    List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonIsOneObjectPerLineEvenWithNewlinesAndStackTraces() {
        Logging.configure(LogFormat.JSON, LogLevel.INFO, out);
        log.atInfo().setMessage("lease acquired").addKeyValue("subnet", "10.42.3.0/24").log();
        log.warn("odd \"quote\"\nand newline\u0001", new IllegalStateException("boom"));
        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"time\":\"").endsWith("}")
                .contains("\"level\":\"INFO\"", "\"logger\":\"dev.weft.test.Component\"", "\"msg\":\"lease acquired\"",
                        "\"subnet\":\"10.42.3.0/24\"", "\"thread\":\"");
        assertThat(lines.get(1)).contains("\"level\":\"WARN\"", "\"msg\":\"odd \\\"quote\\\"\\nand newline\\u0001\"",
                "\"error\":\"java.lang.IllegalStateException: boom\"", "\"stack\":\"java.lang.IllegalStateException: boom\\n");
    }

    @Test
    void reservedKeysAreNotOverwrittenByKeyValuePairs() {
        Logging.configure(LogFormat.JSON, LogLevel.INFO, out);
        log.atInfo().setMessage("m").addKeyValue("msg", "sneaky").log();
        assertThat(lines().getFirst()).contains("\"msg\":\"m\"", "\"kv.msg\":\"sneaky\"");
    }

    @Test
    void textIsOneReadableLine() {
        Logging.configure(LogFormat.TEXT, LogLevel.INFO, out);
        log.atInfo().setMessage("device ready").addKeyValue("mtu", 1450).log();
        String line = lines().getFirst();
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.* INFO  Component: device ready mtu=1450");
        log.info("no pairs");
        assertThat(lines().get(1)).endsWith("Component: no pairs");
    }

    @Test
    void levelFiltersAndLibrariesStayQuiet() {
        Logging.configure(LogFormat.TEXT, LogLevel.WARN, out);
        log.info("hidden");
        log.warn("shown");
        LoggerFactory.getLogger("io.netty.Something").info("library chatter");
        assertThat(lines()).hasSize(1).allMatch(l -> l.contains("shown"));
        out.reset();
        Logging.configure(LogFormat.TEXT, LogLevel.DEBUG, out);
        log.debug("debug shown");
        LoggerFactory.getLogger("io.netty.Something").info("library chatter");
        assertThat(lines()).hasSize(1).allMatch(l -> l.contains("debug shown"));
    }

    @Test
    void stateChangeLogSpeaksOncePerChange() {
        Logging.configure(LogFormat.TEXT, LogLevel.INFO, out);
        StateChangeLog<String> s = new StateChangeLog<>(log, v -> "masquerade: " + v);
        assertThat(s.update("ok")).isTrue();
        assertThat(s.update("ok")).isFalse();
        assertThat(s.update("ok")).isFalse();
        assertThat(s.updateWarn("repaired")).isTrue();
        assertThat(s.update("ok")).isTrue();
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(1)).contains("WARN", "masquerade: repaired");
    }
}
