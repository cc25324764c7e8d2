package dev.hymba.workbench.cli;

import dev.hymba.core.model.Generator;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.tokenizer.ChatMessage;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.core.tokenizer.StreamingDetokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./hymba generate --model DIR --prompt "…" [--max-new N --temperature T --top-p P --seed S]}; tokens stream. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate text from a prompt; tokens are printed as they are produced.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Option(names = "--prompt", required = true, description = "Prompt text.") String prompt;
    @Option(names = "--max-new", defaultValue = "64", description = "Most tokens to generate (default ${DEFAULT-VALUE}).") int maxNew;
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default), else sampling temperature.") double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens (0 = all).") int topK;
    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass in (0, 1] (1 = off).") double topP;
    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed.") long seed;
    @Option(names = "--chat", description = "Wrap the prompt in the Instruct chat template (user turn + assistant prompt).") boolean chat;
    @Option(names = "--system", description = "System message for --chat.") String system;
    @Option(names = "--ignore-eos", description = "Keep generating after </s>.") boolean ignoreEos;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Generator.Settings settings = new Generator.Settings(maxNew, temperature, topK, topP, seed, !ignoreEos);
        Path dir = ModelLocation.resolve(model);
        if (prompt.isEmpty()) throw new IllegalArgumentException("--prompt is empty");
        PrintWriter out = spec.commandLine().getOut();
        try (HymbaModel m = HymbaModel.load(dir); HymbaTokenizer tok = HymbaTokenizer.load(dir)) {
            int max = Tokenization.maxPromptTokens(m.config());
            int[] ids = chat
                    ? tok.chatPromptIds(system == null ? List.of(ChatMessage.user(prompt)) : List.of(ChatMessage.system(system), ChatMessage.user(prompt)), max)
                    : tok.promptIds(prompt, max);
            StreamingDetokenizer detok = tok.streaming(true);
            out.print(prompt);
            out.flush();
            long t0 = System.nanoTime();
            Generator.Result r = new Generator(m).generate(ids, settings, RunOptions.DEFAULT, id -> {
                out.print(detok.push(id));
                out.flush();
            });
            out.print(detok.finish());
            out.println();
            double s = (System.nanoTime() - t0) / 1e9;
            spec.commandLine().getErr().printf("[%d tokens in %.2f s, stopped: %s]%n", r.tokens().length, s, r.stopReason());
        }
        return 0;
    }
}
