package dev.weft.app;

/**
 * Runs the daemon for {@code weft agent} with a validated config until {@code shutdown} fires:
 * startup order, reconcile pass, teardown. Returns the process exit code (0 after a clean
 * shutdown). Logging is already configured when it is called.
 */
@FunctionalInterface
public interface AgentRunner {
    int run(AgentConfig config, ShutdownSignal shutdown) throws Exception;
}
