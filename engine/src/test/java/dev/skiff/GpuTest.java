package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuTest {
    private static final String ACCEPTED = "accepted forms are TYPE, TYPE:COUNT or H100! with TYPE one of any, T4, "
            + "L4, A10, A10G, A100, A100-40GB, A100-80GB, L40S, H100, H200, B200 and COUNT 1 to 8, for example "
            + "\"A100-80GB:2\".";

    @Test
    void parsesModalForms() {
        assertThat(Gpu.parse("any")).hasToString("any");
        assertThat(Gpu.parse("T4").type()).isEqualTo("T4");
        assertThat(Gpu.parse("t4").type()).isEqualTo("T4");
        Gpu a100 = Gpu.parse("A100-80GB:2");
        assertThat(a100.type()).isEqualTo("A100-80GB");
        assertThat(a100.count()).isEqualTo(2);
        assertThat(a100).hasToString("A100-80GB:2");
        Gpu exact = Gpu.parse("H100!");
        assertThat(exact.exact()).isTrue();
        assertThat(exact.count()).isEqualTo(1);
        assertThat(Gpu.parse("H100!:8")).hasToString("H100!:8");
    }

    @Test
    void listIsPreferenceOrder() {
        assertThat(Gpu.parseAll(List.of("H100", "A100-80GB:2", "any")))
                .extracting(Gpu::toString).containsExactly("H100", "A100-80GB:2", "any");
    }

    @Test
    void invalidSpecsNameTheValueAndAcceptedForms() {
        assertThatThrownBy(() -> Gpu.parse("V100")).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"V100\": unknown GPU type \"V100\"; " + ACCEPTED);
        assertThatThrownBy(() -> Gpu.parse("A100:0")).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"A100:0\": count 0 is out of range; " + ACCEPTED);
        assertThatThrownBy(() -> Gpu.parse("A100:9")).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"A100:9\": count 9 is out of range; " + ACCEPTED);
        assertThatThrownBy(() -> Gpu.parse("A100:two")).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"A100:two\": count \"two\" is not a number; " + ACCEPTED);
        assertThatThrownBy(() -> Gpu.parse("A10G!")).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"A10G!\": only H100 accepts \"!\"; " + ACCEPTED);
        assertThatThrownBy(() -> Gpu.parse("")).isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"\": " + ACCEPTED);
        assertThatThrownBy(() -> FunctionOptions.defaults().gpu("H100", "X1"))
                .isExactlyInstanceOf(InvalidException.class)
                .hasMessage("Invalid GPU spec \"X1\": unknown GPU type \"X1\"; " + ACCEPTED);
    }
}
