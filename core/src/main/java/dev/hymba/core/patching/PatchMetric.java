package dev.hymba.core.patching;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.model.ForwardResult;

/**
 * A scalar read from the logits of the last prompt position, the quantity an activation-patching sweep reports.
 * Larger is "more like the clean run" for the logit difference and the probability; for the NLL it is the reverse,
 * which the normalised effect absorbs (it divides by clean − corrupted).
 */
public sealed interface PatchMetric {
    /** The metric of a run's last row. */
    double of(ForwardResult r);

    String describe();

    /** Throws naming the bad token when an id is outside the vocabulary. */
    void validate(int vocab);

    /** logit[target] − logit[distractor] at the last position (TransformerLens' usual patching metric). */
    record LogitDifference(int target, int distractor) implements PatchMetric {
        public double of(ForwardResult r) {
            int last = r.rows() - 1;
            return (double) r.logit(last, target) - r.logit(last, distractor);
        }

        public String describe() { return "logit[" + target + "] - logit[" + distractor + "] at the last position"; }

        public void validate(int vocab) { check("target", target, vocab); check("distractor", distractor, vocab); }
    }

    /** P(target) at the last position (softmax in double). */
    record Probability(int target) implements PatchMetric {
        public double of(ForwardResult r) { return Math.exp(RunComparison.logSoftmax(r.logits(), r.vocab(), r.rows() - 1)[target]); }

        public String describe() { return "P(" + target + ") at the last position"; }

        public void validate(int vocab) { check("target", target, vocab); }
    }

    /** −log P(target) at the last position. */
    record NegLogLikelihood(int target) implements PatchMetric {
        public double of(ForwardResult r) { return -RunComparison.logSoftmax(r.logits(), r.vocab(), r.rows() - 1)[target]; }

        public String describe() { return "-log P(" + target + ") at the last position"; }

        public void validate(int vocab) { check("target", target, vocab); }
    }

    /**
     * Parses a metric name as the CLI and plugins spell it: {@code logit-diff} (needs a distractor), {@code prob},
     * {@code nll}.
     */
    static PatchMetric parse(String name, int target, Integer distractor) {
        return switch (name) {
            case "logit-diff" -> {
                if (distractor == null) throw new IllegalArgumentException("metric logit-diff needs a distractor token id");
                yield new LogitDifference(target, distractor);
            }
            case "prob" -> new Probability(target);
            case "nll" -> new NegLogLikelihood(target);
            default -> throw new IllegalArgumentException("metric '" + name + "' is not one of logit-diff, prob, nll");
        };
    }

    private static void check(String what, int id, int vocab) {
        if (id < 0 || id >= vocab) throw new IllegalArgumentException(what + " token " + id + " is outside the vocabulary 0.." + (vocab - 1));
    }
}
