package dev.hymba.workbench.cli;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.tokenizer.HymbaTokenizer;

import java.nio.file.Path;

/** Text → tokens through the model folder's tokenizer, with the prompt-length limit of the model. */
final class Tokenization {
    private Tokenization() {}

    /** Tokens the model can take for a prompt: max positions minus the meta prefix. */
    static int maxPromptTokens(HymbaConfig c) { return Math.max(1, c.maxPositionEmbeddings() - c.numMemoryTokens()); }

    static PromptInput.Tokens encode(Path modelDir, String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("--text is empty: give a prompt (BOS alone is added automatically)");
        HymbaConfig c = HymbaConfigParser.read(modelDir.resolve("config.json"));
        try (HymbaTokenizer tok = HymbaTokenizer.load(modelDir)) {
            HymbaTokenizer.Encoded e = tok.encode(text);
            int[] ids = tok.promptIds(text, maxPromptTokens(c));
            return new PromptInput.Tokens(ids, e.pieces(), text);
        }
    }
}
