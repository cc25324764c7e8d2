package dev.hymba.workbench.cli;

import dev.hymba.core.io.Npy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code --ids FILE.npy | --text "…"} choice shared by commands that run the model. */
public final class PromptInput {
    @Option(names = "--ids", description = "Token ids as a 1-D int32 or int64 .npy file.")
    Path ids;

    @Option(names = "--text", description = "Prompt text, tokenized with the model's tokenizer (BOS added).")
    String text;

    /** Tokens plus their pieces (null when ids were given directly). */
    public record Tokens(int[] ids, List<String> pieces, String prompt) {}

    public Tokens resolve(Path modelDir) throws IOException {
        if ((ids == null) == (text == null)) throw new IllegalArgumentException("give exactly one of --ids FILE.npy or --text \"...\"");
        if (ids != null) {
            if (!Files.isRegularFile(ids)) throw new IllegalArgumentException("--ids " + ids + ": no such file");
            Npy.Array a = Npy.read(ids);
            if (a.longs() == null) throw new IllegalArgumentException("--ids " + ids + ": dtype " + a.descr() + " is not int32 or int64");
            if (a.shape().length != 1) throw new IllegalArgumentException("--ids " + ids + ": expected a 1-D array, got shape " + java.util.Arrays.toString(a.shape()));
            if (a.size() == 0) throw new IllegalArgumentException("--ids " + ids + ": the array is empty");
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) {
                long v = a.longs()[i];
                if (v < 0 || v > Integer.MAX_VALUE) throw new IllegalArgumentException("--ids " + ids + ": value " + v + " at index " + i + " is not a token id");
                out[i] = (int) v;
            }
            return new Tokens(out, null, null);
        }
        return Tokenization.encode(modelDir, text);
    }
}
