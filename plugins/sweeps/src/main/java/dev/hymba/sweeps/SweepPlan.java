package dev.hymba.sweeps;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.tokenizer.HymbaTokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.*;

/**
 * A spec expanded on one model: the tokenised prompts, the ablations and the tasks (prompt × batch of ablations).
 * Building a plan is deterministic, so every worker that rebuilds it from the same spec, prompt text and config gets
 * the same tasks and keys; {@link #hash()} identifies it (results of another plan are never mixed in).
 */
public record SweepPlan(SweepSpec spec, HymbaConfig config, List<Prompt> prompts, List<Ablation> ablations,
                        List<SweepTask> tasks, String hash) {
    public SweepPlan {
        prompts = List.copyOf(prompts);
        ablations = List.copyOf(ablations);
        tasks = List.copyOf(tasks);
    }

    public static SweepPlan create(SweepSpec spec, HymbaConfig config, String promptsJsonl, Optional<HymbaTokenizer> tokenizer) {
        List<Prompt> prompts = PromptSet.parse(promptsJsonl, spec.prompts(), tokenizer, config.vocabSize(), spec.maxTokens(), spec.metrics());
        List<Ablation> ablations = spec.ablations(config);
        List<SweepTask> tasks = new ArrayList<>();
        for (Prompt p : prompts)
            for (int from = 0; from < ablations.size(); from += spec.batch()) {
                int to = Math.min(ablations.size(), from + spec.batch());
                tasks.add(new SweepTask(tasks.size(), String.format("p%05d-a%05d", p.index(), from), p.index(), from, to));
            }
        return new SweepPlan(spec, config, prompts, ablations, tasks, hash(config, prompts, ablations, spec));
    }

    /** A plan on a local model folder: prompts read from the spec's file, text tokenised with the folder's tokenizer. */
    public static SweepPlan local(SweepSpec spec, HymbaConfig config, Path modelDir) {
        boolean hasTok = Files.isRegularFile(modelDir.resolve(HymbaTokenizer.FILE));
        if (!hasTok) return create(spec, config, spec.readPrompts(), Optional.empty());
        try (HymbaTokenizer tok = HymbaTokenizer.load(modelDir)) {
            return create(spec, config, spec.readPrompts(), Optional.of(tok));
        }
    }

    /** Rows a complete result has: every prompt × every ablation. */
    public long expectedRows() { return (long) prompts.size() * ablations.size(); }

    public List<String> metricNames() { return spec.metrics().stream().map(Metric::json).toList(); }

    private static String hash(HymbaConfig c, List<Prompt> prompts, List<Ablation> ablations, SweepSpec spec) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder();
            sb.append(c).append('\n').append(spec.metrics()).append('\n').append(spec.batch()).append('\n');
            for (Prompt p : prompts) sb.append(p).append(' ').append(p.foil()).append('\n');
            for (Ablation a : ablations) sb.append(a.key()).append('\n');
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
