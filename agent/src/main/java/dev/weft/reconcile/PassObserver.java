package dev.weft.reconcile;

/** Receives a report after every pass, on the loop thread; must be quick and must not throw (if it does, it is logged). */
@FunctionalInterface
public interface PassObserver {
    PassObserver NONE = report -> { };

    void passFinished(PassReport report);
}
