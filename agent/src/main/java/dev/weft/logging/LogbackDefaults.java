package dev.weft.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until weft applies its flags: text to stderr at INFO, libraries at WARN.
 * Found by Logback through the service loader, so the agent never needs a {@code logback.xml}: the
 * XML configurator alone would load some 450 classes at every start. Where someone does provide
 * an XML configuration (a test class path, {@code -Dlogback.configurationFile}), that one wins.
 */
public final class LogbackDefaults extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        ClassLoader cl = LogbackDefaults.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || cl.getResource("logback-test.xml") != null
                || cl.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logging.apply(ctx, LogFormat.TEXT, LogLevel.INFO, Logging.stderr());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
