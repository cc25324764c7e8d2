package dev.hymba.sweeps;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptSetTest {
    private static List<Prompt> parse(String jsonl, List<Metric> metrics) {
        return PromptSet.parse(jsonl, "p.jsonl", Optional.empty(), 512, 16, metrics);
    }

    @Test
    void idsTargetsAndFoils() {
        List<Prompt> ps = parse("""
                {"id": "a", "ids": [1, 5, 9]}

                {"id": 7, "ids": [1, 5], "target_ids": [6, 7], "foil_id": 8}
                """, List.of(Metric.KL));
        assertThat(ps).hasSize(2);
        assertThat(ps.get(0).index()).isZero();
        assertThat(ps.get(0).hasTarget()).isFalse();
        assertThat(ps.get(0).firstScoredRow()).isZero();
        Prompt b = ps.get(1);
        assertThat(b.id()).isEqualTo("7");
        assertThat(b.index()).isEqualTo(1);
        assertThat(b.ids()).containsExactly(1, 5, 6, 7);
        assertThat(b.targetFrom()).isEqualTo(2);
        assertThat(b.firstScoredRow()).isEqualTo(1); // row 1 predicts the first target token (ids[2])
        assertThat(b.foil()).isEqualTo(8);
    }

    @Test
    void errorsNameFileLineAndField() {
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1,2]}\n{\"id\":\"a\",\"ids\":[3,4]}", List.of()))
                .hasMessage("p.jsonl line 2: id: \"a\" was already used on line 1");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1,512]}", List.of()))
                .hasMessage("p.jsonl line 1: ids[1]: 512 is outside the vocabulary 0..511");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"text\":\"hello\"}", List.of()))
                .hasMessage("p.jsonl line 1: text: the model has no tokenizer.json; give token ids in \"ids\" instead");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1]}", List.of()))
                .hasMessage("p.jsonl line 1: has 1 token; at least 2 are needed (a next token to score)");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1,2]}", List.of(Metric.LOGIT_DIFF)))
                .hasMessage("p.jsonl line 1: target: metric logit_diff needs a target (\"target\" or \"target_ids\")");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1,2],\"prompt\":\"x\"}", List.of()))
                .hasMessage("p.jsonl line 1: prompt: unknown field (allowed: id, text, ids, target, target_ids, foil, foil_id)");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1,2],\"foil_id\":3}", List.of()))
                .hasMessage("p.jsonl line 1: foil: needs a target");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",\"ids\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}", List.of()))
                .hasMessage("p.jsonl line 1: 17 tokens exceed max_tokens 16");
        assertThatThrownBy(() -> parse("{\"id\":\"a\",", List.of())).hasMessageStartingWith("p.jsonl line 1: malformed JSON");
        assertThatThrownBy(() -> parse("\n\n", List.of())).hasMessage("p.jsonl: the prompt set has no prompts");
    }
}
