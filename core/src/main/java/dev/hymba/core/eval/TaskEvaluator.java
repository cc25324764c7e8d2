package dev.hymba.core.eval;

import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;

import java.util.function.IntConsumer;

/**
 * Scores a model on an evaluation set, as the training recipe does: perplexity = exp(mean NLL of tokens 1…n−1 over
 * all rows); a task row is correct when every target token is the argmax prediction given the prompt and the preceding
 * target tokens (teacher forcing, equal to greedy decoding of the target).
 */
public final class TaskEvaluator {
    /** accuracy in [0, 1] (NaN for perplexity sets), perplexity (NaN for task sets), mean NLL per scored token. */
    public record Score(String task, int rows, double accuracy, double perplexity, double meanNll) {}

    private TaskEvaluator() {}

    public static Score evaluate(HymbaModel model, EvalTask task, RunOptions options, IntConsumer rowDone) {
        int V = model.config().vocabSize();
        double nllSum = 0;
        long scored = 0;
        int correct = 0, done = 0;
        boolean ppl = task.rows().get(0).isPerplexity();
        for (EvalTask.Row r : task.rows()) {
            if (options.isCancelled()) throw new java.util.concurrent.CancellationException("evaluation cancelled");
            int[] seq = r.isPerplexity() ? r.ids() : concat(r.promptIds(), r.targetIds());
            ForwardResult f = model.forward(seq, options);
            int from = r.isPerplexity() ? 0 : r.promptIds().length - 1; // row t predicts token t+1
            boolean allRight = true;
            for (int t = from; t < seq.length - 1; t++) {
                int next = seq[t + 1];
                nllSum += nll(f.logits(), t, V, next);
                scored++;
                if (f.argmax(t) != next) allRight = false;
            }
            if (allRight) correct++;
            rowDone.accept(++done);
        }
        double mean = scored == 0 ? Double.NaN : nllSum / scored;
        return new Score(task.name(), task.rows().size(), ppl ? Double.NaN : (double) correct / task.rows().size(), ppl ? Math.exp(mean) : Double.NaN, mean);
    }

    /** −log softmax(logits[t])[token], in double with max shift. */
    static double nll(float[] logits, int t, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, logits[t * vocab + v]);
        double z = 0;
        for (int v = 0; v < vocab; v++) z += Math.exp(logits[t * vocab + v] - max);
        return max + Math.log(z) - logits[t * vocab + token];
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
