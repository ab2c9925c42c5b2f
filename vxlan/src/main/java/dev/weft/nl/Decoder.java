package dev.weft.nl;

/** Turns one reply message into a value; returns null to skip a message the caller does not want. */
@FunctionalInterface
public interface Decoder<T> {
    T decode(NlMessage message) throws NlDecodeException;
}
