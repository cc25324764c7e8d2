package dev.hymba.workbench.cli;

import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.trace.Tracer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --ablation SPEC.json}: an ablation spec applied to the run. */
public final class AblationOption {
    @Option(names = "--ablation", description = "Ablation spec (JSON) to apply.")
    Path spec;

    /** The spec, validated against the model; EMPTY when no option was given. */
    static AblationSpec read(Path file, String option, HymbaConfig config) throws IOException {
        if (file == null) return AblationSpec.EMPTY;
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(option + " " + file + ": no such file");
        AblationSpec s;
        try {
            s = AblationSpec.fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
        try {
            s.validate(dev.hymba.core.ablation.ModelShape.of(config));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
        return s;
    }

    AblationSpec read(HymbaConfig config) throws IOException { return read(spec, "--ablation", config); }

    Tracer.Request request(HymbaConfig config, PromptInput.Tokens tokens) throws IOException {
        AblationSpec s = read(config);
        AblationCompiler.Compiled c = AblationCompiler.compile(s, config);
        return new Tracer.Request(tokens.ids(), tokens.pieces(), tokens.prompt(), c.options(), s.toJson(), c.attentionEditedLayers(), s.isOutOfDistribution());
    }
}
