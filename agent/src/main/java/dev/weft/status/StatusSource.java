package dev.weft.status;

/**
 * Reads the node's state from the Kubernetes API and the kernel for {@code weft status}.
 * Implemented by the agent's wiring.
 */
@FunctionalInterface
public interface StatusSource {
    /** Reads the current state; throws when the API or the kernel cannot be asked. */
    StatusReport read(StatusRequest request) throws Exception;
}
