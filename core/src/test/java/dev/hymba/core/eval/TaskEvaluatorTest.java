package dev.hymba.core.eval;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.GoldenSet;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.*;

class TaskEvaluatorTest {
    @Test
    void perplexityIsExpOfTheMeanNextTokenLoss(@TempDir Path tmp) throws Exception {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        int[] ids = g.inputIds();
        int[] a = Arrays.copyOf(ids, 30), b = Arrays.copyOfRange(ids, 30, 72);
        Path f = tmp.resolve("ppl.jsonl");
        Files.writeString(f, "{\"ids\":" + Arrays.toString(a) + "}\n{\"ids\":" + Arrays.toString(b) + "}\n");
        TaskEvaluator.Score s = TaskEvaluator.evaluate(m, EvalTask.read("ppl", f), RunOptions.DEFAULT, i -> {});
        // Independent: RunComparison's per-token NLL over both rows.
        double sum = 0;
        int n = 0;
        for (int[] row : new int[][]{a, b}) {
            ForwardResult r = m.forward(row, RunOptions.DEFAULT);
            for (double x : RunComparison.nextTokenNll(r.logits(), row.length, r.vocab(), row)) { sum += x; n++; }
        }
        assertThat(s.perplexity()).isCloseTo(Math.exp(sum / n), within(1e-9 * Math.exp(sum / n)));
        assertThat(s.accuracy()).isNaN();
        assertThat(s.rows()).isEqualTo(2);
    }

    @Test
    void aTaskRowIsCorrectOnlyWhenEveryTargetTokenIsTheArgmax(@TempDir Path tmp) throws Exception {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        int[] prompt = Arrays.copyOf(g.inputIds(), 20);
        // Build the greedy continuation: a target the model gets right by construction.
        int[] seq = prompt;
        int[] target = new int[3];
        for (int i = 0; i < 3; i++) {
            target[i] = m.forward(seq, RunOptions.DEFAULT).argmax(seq.length - 1);
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = target[i];
        }
        int[] wrong = target.clone();
        wrong[2] = (wrong[2] + 1) % 512;
        Path f = tmp.resolve("t.jsonl");
        Files.writeString(f, "{\"prompt_ids\":" + Arrays.toString(prompt) + ",\"target_ids\":" + Arrays.toString(target) + "}\n"
                + "{\"prompt_ids\":" + Arrays.toString(prompt) + ",\"target_ids\":" + Arrays.toString(wrong) + "}\n");
        TaskEvaluator.Score s = TaskEvaluator.evaluate(m, EvalTask.read("recall", f), RunOptions.DEFAULT, i -> {});
        assertThat(s.accuracy()).isEqualTo(0.5);
        assertThat(s.perplexity()).isNaN();
    }

    @Test
    void malformedSetsAreRejectedWithTheLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"ids\":[1,2]}\n{\"text\":\"no ids\"}\n");
        assertThatThrownBy(() -> EvalTask.read("ppl", f)).hasMessageContaining("line 2");
        Files.writeString(f, "{\"ids\":[1,\"x\"]}\n");
        assertThatThrownBy(() -> EvalTask.read("ppl", f)).hasMessageContaining("is not a token id");
    }
}
