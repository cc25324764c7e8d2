package dev.hymba.workbench.cli;

import java.nio.file.Path;

/** Text → tokens through the model folder's tokenizer. */
final class Tokenization {
    private Tokenization() {}

    static PromptInput.Tokens encode(Path modelDir, String text) {
        throw new IllegalArgumentException("--text needs the tokenizer, which this build does not include yet; use --ids FILE.npy");
    }
}
