package dev.hymba.workbench.cli;

import dev.hymba.core.export.NpyStreamWriter;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./hymba logits --model DIR (--ids FILE.npy | --text "…") --out FILE.npy}: float32 [L, vocab], meta rows dropped. */
@Command(name = "logits", mixinStandardHelpOptions = true, description = "Write the logits of a prompt as float32 [L, vocab] .npy (one row per input token).")
public final class LogitsCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Mixin PromptInput input;
    @Option(names = "--out", required = true, description = "Output .npy file.") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelLocation.resolve(model);
        PromptInput.Tokens tokens = input.resolve(dir);
        OutputPaths.checkWritableFile(out, "--out");
        try (HymbaModel m = HymbaModel.load(dir)) {
            ForwardResult r = m.forward(tokens.ids(), RunOptions.DEFAULT);
            NpyStreamWriter.write(out, r.logits(), r.rows(), r.vocab());
            spec.commandLine().getOut().printf("wrote %s: float32 [%d, %d]%n", out, r.rows(), r.vocab());
        }
        return 0;
    }
}
