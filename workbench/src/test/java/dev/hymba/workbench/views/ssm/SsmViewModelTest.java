package dev.hymba.workbench.views.ssm;

import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsmViewModelTest {
    private final Matrix norms = new Matrix(2, 4, new float[] {1, 3, 5, 7, 2, 2, 10, 0});

    @Test
    void blocksAverageEqualChannelSpans() {
        AttentionMap m = SsmViewModel.stateMatrix(norms, 2);
        assertThat(m.queries()).isEqualTo(2);
        assertThat(m.keys()).isEqualTo(2);
        assertThat(m.values()).containsExactly(2, 6, 2, 5);
        assertThat(SsmViewModel.stateMatrix(norms, 0).values()).isSameAs(norms.values());
        assertThatThrownBy(() -> SsmViewModel.stateMatrix(norms, 3)).hasMessage("4 channels do not split into 3 equal blocks");
    }

    @Test
    void meanDeltaPerPosition() {
        assertThat(SsmViewModel.meanDelta(norms)).containsExactly(4, 3.5);
    }
}
