package dev.hymba.workbench.cli;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.trace.Tracer;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --ablation SPEC.json}: an ablation spec applied to the run. */
public final class AblationOption {
    @Option(names = "--ablation", description = "Ablation spec (JSON) to apply.")
    Path spec;

    Tracer.Request request(HymbaConfig config, PromptInput.Tokens tokens) {
        if (spec != null) throw new IllegalArgumentException("--ablation: ablation specs are not wired into this build yet");
        return Tracer.Request.of(tokens.ids(), tokens.pieces(), tokens.prompt());
    }
}
