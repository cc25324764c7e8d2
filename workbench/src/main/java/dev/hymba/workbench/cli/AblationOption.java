package dev.hymba.workbench.cli;

import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.trace.Tracer;
import dev.hymba.plugins.api.InterventionPlugin;
import dev.hymba.plugins.host.LoadedPlugin;
import dev.hymba.plugins.host.PluginInterventions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --ablation SPEC.json}: an ablation spec applied to the run. Its plugin interventions ("interventions") are
 * resolved among the intervention plugins on the class path and in the default plugins folders (as
 * {@code ./hymba plugin --list} shows them).
 */
public final class AblationOption {
    /** Discovered on first use and kept open for the process: plugin hooks may load classes from their jars while running. */
    private static PluginCommand.Plugins plugins;

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
            if (!s.plugins().isEmpty()) interventions().validate(s, config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
        return s;
    }

    AblationSpec read(HymbaConfig config) throws IOException { return read(spec, "--ablation", config); }

    /** The intervention plugins this process can see (class path and default plugins folders). */
    public static synchronized PluginInterventions interventions() {
        if (plugins == null) plugins = PluginCommand.Plugins.discover(PluginCommand.defaultPluginDirs());
        return PluginInterventions.of(plugins.plugins.stream().map(LoadedPlugin::plugin)
                .filter(InterventionPlugin.class::isInstance).map(InterventionPlugin.class::cast).toList());
    }

    /** The spec compiled for the engine, plugin interventions included (plugins are only discovered when it has some). */
    public static AblationCompiler.Compiled compile(AblationSpec s, HymbaConfig config, RunOptions.Builder base) {
        return AblationCompiler.compile(s, config, base, s.plugins().isEmpty() ? AblationCompiler.NO_PLUGINS : interventions());
    }

    static AblationCompiler.Compiled compile(AblationSpec s, HymbaConfig config) {
        return AblationCompiler.compile(s, config, RunOptions.builder(), s.plugins().isEmpty() ? AblationCompiler.NO_PLUGINS : interventions());
    }

    Tracer.Request request(HymbaConfig config, PromptInput.Tokens tokens) throws IOException {
        AblationSpec s = read(config);
        AblationCompiler.Compiled c = compile(s, config);
        return new Tracer.Request(tokens.ids(), tokens.pieces(), tokens.prompt(), c.options(), s.toJson(), c.attentionEditedLayers(), s.isOutOfDistribution());
    }
}
