package dev.weft.logging;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback once, from {@code --log-format} and {@code --log-level}. Logs go to
 * stderr so that command output on stdout ({@code weft status}) stays machine-readable.
 * Libraries (Netty, fabric8, Vert.x) are held at WARN unless TRACE is asked for: their DEBUG
 * output would drown weft's one-line-per-state-change log.
 */
public final class Logging {
    /** The text layout: timestamp with offset, level, logger short name, message, key/value pairs. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%replace( %kvp{NONE}){'^ $', ''}%n%ex";
    private static final String[] LIBRARIES = {"io.netty", "io.fabric8", "io.vertx", "io.micrometer", "okhttp3"};

    private Logging() {
    }

    /** Replaces the whole Logback configuration, writing to stderr. */
    public static void configure(LogFormat format, LogLevel level) {
        configure(format, level, stderr());
    }

    /** stderr for an appender: a reset stops the appender, which must not close the process's stderr. */
    static OutputStream stderr() {
        return new FilterOutputStream(System.err) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Replaces the whole Logback configuration, writing to {@code out} (tests pass a buffer). */
    public static void configure(LogFormat format, LogLevel level, OutputStream out) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        apply(ctx, format, level, out);
    }

    /** Installs the appender and levels on a fresh {@code ctx} (also Logback's own start-up, see {@link LogbackDefaults}). */
    static void apply(LoggerContext ctx, LogFormat format, LogLevel level, OutputStream out) {
        Layout<ILoggingEvent> layout = layout(ctx, format);
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(ctx);
        appender.setName("weft");
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.setOutputStream(out);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.name()));
        root.addAppender(appender);
        LogLevel libs = level == LogLevel.TRACE || level.compareTo(LogLevel.WARN) > 0 ? level : LogLevel.WARN;
        for (String lib : LIBRARIES) {
            ctx.getLogger(lib).setLevel(Level.toLevel(libs.name()));
        }
    }

    private static Layout<ILoggingEvent> layout(LoggerContext ctx, LogFormat format) {
        Layout<ILoggingEvent> layout;
        if (format == LogFormat.JSON) {
            layout = new JsonLayout();
        } else {
            PatternLayout p = new PatternLayout();
            p.setPattern(TEXT_PATTERN);
            layout = p;
        }
        layout.setContext(ctx);
        layout.start();
        return layout;
    }
}
