package dev.skiff;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Retry policy of a function: how many times a failed input is tried again and how long to wait
 * before each retry. The delay before retry {@code n} (counting from 1) is
 * {@code initialDelay * backoffCoefficient^(n-1)}, bounded by {@code maxDelay}.
 *
 * <p>Limits follow Modal's: {@code maxRetries} 0 to 10, {@code backoffCoefficient} 1.0 to 10.0,
 * {@code initialDelay} 0 to 60 s, {@code maxDelay} 1 to 60 s. Instances are immutable.
 */
public final class Retries implements Serializable {
    public static final int MAX_RETRIES_LIMIT = 10;
    private static final Duration MAX_DELAY_LIMIT = Duration.ofSeconds(60);

    private final int maxRetries;
    private final double backoffCoefficient;
    private final Duration initialDelay;
    private final Duration maxDelay;

    private Retries(int maxRetries, double backoffCoefficient, Duration initialDelay, Duration maxDelay) {
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new InvalidException("Invalid maxRetries: " + maxRetries + ". It must be between 0 and "
                    + MAX_RETRIES_LIMIT + " (inclusive).");
        }
        if (!(backoffCoefficient >= 1.0 && backoffCoefficient <= 10.0)) {
            throw new InvalidException("Invalid backoffCoefficient: " + backoffCoefficient
                    + ". It must be between 1.0 and 10.0 (inclusive).");
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.compareTo(MAX_DELAY_LIMIT) > 0) {
            throw new InvalidException("Invalid initialDelay: " + initialDelay.toMillis()
                    + " ms. It must be between 0 and 60 seconds (inclusive).");
        }
        if (maxDelay.compareTo(Duration.ofSeconds(1)) < 0 || maxDelay.compareTo(MAX_DELAY_LIMIT) > 0) {
            throw new InvalidException("Invalid maxDelay: " + maxDelay.toMillis()
                    + " ms. It must be between 1 and 60 seconds (inclusive).");
        }
        this.maxRetries = maxRetries;
        this.backoffCoefficient = backoffCoefficient;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Returns a policy of {@code maxRetries} retries with a fixed one-second delay, as Modal's integer form. */
    public static Retries of(int maxRetries) {
        return new Retries(maxRetries, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Returns a policy with Modal's defaults: backoff coefficient 2.0, initial delay 1 s, max delay 60 s. */
    public static Retries exponential(int maxRetries) {
        return new Retries(maxRetries, 2.0, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Returns a policy with every field given; each is validated as described on the class. */
    public static Retries of(int maxRetries, double backoffCoefficient, Duration initialDelay, Duration maxDelay) {
        return new Retries(maxRetries, backoffCoefficient, initialDelay, maxDelay);
    }

    public Retries withBackoffCoefficient(double coefficient) {
        return new Retries(maxRetries, coefficient, initialDelay, maxDelay);
    }

    public Retries withInitialDelay(Duration delay) {
        return new Retries(maxRetries, backoffCoefficient, delay, maxDelay);
    }

    public Retries withMaxDelay(Duration delay) {
        return new Retries(maxRetries, backoffCoefficient, initialDelay, delay);
    }

    public int maxRetries() {
        return maxRetries;
    }

    public double backoffCoefficient() {
        return backoffCoefficient;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    /** Returns the delay before retry number {@code retry}, counting from 1. */
    public Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1, got " + retry);
        }
        double millis = initialDelay.toMillis() * Math.pow(backoffCoefficient, retry - 1);
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Retries r && r.maxRetries == maxRetries && r.backoffCoefficient == backoffCoefficient
                && r.initialDelay.equals(initialDelay) && r.maxDelay.equals(maxDelay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRetries, backoffCoefficient, initialDelay, maxDelay);
    }

    @Override
    public String toString() {
        return "Retries[maxRetries=" + maxRetries + ", backoffCoefficient=" + backoffCoefficient + ", initialDelay="
                + initialDelay.toMillis() + "ms, maxDelay=" + maxDelay.toMillis() + "ms]";
    }
}
