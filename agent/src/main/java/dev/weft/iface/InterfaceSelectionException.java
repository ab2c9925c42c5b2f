package dev.weft.iface;

/** No interface satisfies the selection flags; the message lists every candidate tried and why it failed. */
public final class InterfaceSelectionException extends Exception {
    public InterfaceSelectionException(String message) {
        super(message);
    }
}
