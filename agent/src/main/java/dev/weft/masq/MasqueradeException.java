package dev.weft.masq;

/** A firewall tool could not be run or refused the rules; the message names the command and its error. */
public final class MasqueradeException extends Exception {
    public MasqueradeException(String message) {
        super(message);
    }

    public MasqueradeException(String message, Throwable cause) {
        super(message, cause);
    }
}
