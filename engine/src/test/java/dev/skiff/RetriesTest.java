package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetriesTest {
    @Test
    void integerFormUsesFixedOneSecondDelay() {
        Retries retries = Retries.of(3);
        assertThat(retries.maxRetries()).isEqualTo(3);
        assertThat(retries.delayBeforeRetry(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retries.delayBeforeRetry(3)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void exponentialDelayIsBoundedByMaxDelay() {
        Retries retries = Retries.exponential(10).withMaxDelay(Duration.ofSeconds(5));
        assertThat(retries.delayBeforeRetry(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retries.delayBeforeRetry(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(retries.delayBeforeRetry(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(retries.delayBeforeRetry(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(retries.delayBeforeRetry(10)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void customDelaysFollowTheFormula() {
        Retries retries = Retries.of(4, 3.0, Duration.ofMillis(100), Duration.ofSeconds(60));
        assertThat(retries.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(retries.delayBeforeRetry(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(retries.delayBeforeRetry(3)).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void invalidValuesAreRejected() {
        assertThatThrownBy(() -> Retries.of(-1)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid maxRetries: -1. It must be between 0 and 10 (inclusive).");
        assertThatThrownBy(() -> Retries.of(11)).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid maxRetries: 11. It must be between 0 and 10 (inclusive).");
        assertThatThrownBy(() -> Retries.exponential(1).withBackoffCoefficient(0.5))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid backoffCoefficient: 0.5. It must be between 1.0 and 10.0 (inclusive).");
        assertThatThrownBy(() -> Retries.exponential(1).withBackoffCoefficient(10.5))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid backoffCoefficient: 10.5. It must be between 1.0 and 10.0 (inclusive).");
        assertThatThrownBy(() -> Retries.exponential(1).withInitialDelay(Duration.ofSeconds(61)))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid initialDelay: 61000 ms. It must be between 0 and 60 seconds (inclusive).");
        assertThatThrownBy(() -> Retries.exponential(1).withMaxDelay(Duration.ofMillis(500)))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid maxDelay: 500 ms. It must be between 1 and 60 seconds (inclusive).");
    }
}
