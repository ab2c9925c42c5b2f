package dev.weft.http;

import java.util.Objects;

/** One probe's answer: passing or not, and a line of text for the response body. */
public record HealthCheck(boolean ok, String detail) {
    public HealthCheck {
        Objects.requireNonNull(detail, "detail");
    }
}
