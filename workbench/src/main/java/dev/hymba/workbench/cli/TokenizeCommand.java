package dev.hymba.workbench.cli;

import dev.hymba.core.tokenizer.HymbaTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./hymba tokenize --model DIR --text "…"}: ids and pieces. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids and pieces of a text (BOS added as the reference does).")
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder (its tokenizer.json). Default: the bundled sample.") Path model;
    @Option(names = "--text", required = true, description = "Text to tokenize.") String text;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = ModelLocation.resolve(model);
        try (HymbaTokenizer tok = HymbaTokenizer.load(dir)) {
            HymbaTokenizer.Encoded e = tok.encode(text);
            PrintWriter out = spec.commandLine().getOut();
            out.println("ids    " + java.util.Arrays.toString(e.ids()));
            out.println("tokens " + e.length());
            for (int i = 0; i < e.length(); i++) out.printf("%5d  %6d  %s%n", i, e.ids()[i], e.pieces().get(i));
            out.flush();
        }
        return 0;
    }
}
