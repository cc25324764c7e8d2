package dev.hymba.workbench.views.model;

import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.TestSessions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelViewModelTest {
    @Test
    void layerMapRowsArrowsAndTokens() {
        // 6 layers: global 0, 3, 5; local layers 1, 2, 4 with window 8; layers 2 and 4... see SyntheticRuns rule:
        // an odd local layer l > 1 reads the KV of l - 1.
        InMemoryRunData run = SyntheticRuns.run(4, 10, 6, 2, 8, 1);
        ModelViewModel vm = new ModelViewModel(TestSessions.showing(run));
        assertThat(vm.layers()).hasSize(6);
        assertThat(vm.layers().get(0).attention()).isEqualTo("global");
        assertThat(vm.layers().get(1).attention()).isEqualTo("local (window 8)");
        assertThat(vm.arrows()).containsExactlyElementsOf(run.layers().stream().filter(l -> l.kvConsumer())
                .map(l -> new ModelViewModel.KvArrow(l.kvProducer(), l.index())).toList());
        assertThat(vm.tokens()).hasSize(4 + 1 + 10);
        assertThat(vm.summaryProperty().get()).contains("6 layers (3 global)", "15 positions = 4 meta + BOS + 10 prompt tokens");
    }

    @Test
    void runWithoutModelExplainsInsteadOfRunning() {
        TestSessions.Notes notes = new TestSessions.Notes();
        var session = new dev.hymba.workbench.app.WorkbenchSession((r, p) -> { throw new AssertionError("must not run"); },
                new dev.hymba.workbench.shell.TaskRunner(Runnable::run), notes);
        new ModelViewModel(session).run();
        assertThat(notes.messages).containsExactly("error: No model: Open a model folder first.");
    }
}
