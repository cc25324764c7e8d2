package dev.hymba.core.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * The Hymba tokenizer (a Llama-2 SentencePiece BPE with byte fallback, architecture reference §5), run by the
 * Hugging Face {@code tokenizers} library through DJL from a model folder's {@code tokenizer.json}.
 *
 * <p>Behaviour follows the reference exactly: {@link #encode} prepends {@code <s>} (the file's post-processor),
 * never truncates or pads (DJL would otherwise cut at 512), and special-token text such as a literal "&lt;s&gt;"
 * in the input maps to the special id, as in Python. Chat prompts are rendered by {@link ChatTemplate} and encoded
 * without adding {@code <s>}, as {@code apply_chat_template(tokenize=True)} does.
 *
 * <p>Empty prompts: the reference encodes "" to {@code [<s>]}, and we allow that one-token prompt (the model then
 * predicts the first token from BOS and the meta tokens alone).
 */
public final class HymbaTokenizer implements AutoCloseable {
    public static final String FILE = "tokenizer.json";
    private final HuggingFaceTokenizer hf;
    private final Path file;
    private final Map<String, Integer> specialIds;
    private final Set<Integer> special;
    /** ids whose piece is a byte-fallback piece {@code <0xNN>}; the decoder fuses runs of them into UTF-8. */
    private final BitSet bytePieces;

    /** A token span in the input, in Unicode code points (as the reference's offsets are); the added BOS has (0, 0). */
    public record Span(int start, int end) {}

    /** The result of encoding: ids, their pieces (e.g. "▁The", "&lt;0xE2&gt;") and offsets into the text. */
    public record Encoded(int[] ids, List<String> pieces, List<Span> offsets) {
        public Encoded {
            ids = ids.clone();
            pieces = List.copyOf(pieces);
            offsets = List.copyOf(offsets);
        }

        public int length() { return ids.length; }
    }

    private HymbaTokenizer(HuggingFaceTokenizer hf, Path file, Map<String, Integer> specialIds, BitSet bytePieces) {
        this.hf = hf;
        this.bytePieces = bytePieces;
        this.file = file;
        this.specialIds = Map.copyOf(specialIds);
        this.special = Set.copyOf(specialIds.values());
    }

    /** Loads {@code tokenizer.json} from a model folder (or the file itself). */
    public static HymbaTokenizer load(Path modelDirOrFile) {
        Path f = Files.isDirectory(modelDirOrFile) ? modelDirOrFile.resolve(FILE) : modelDirOrFile;
        if (!Files.isRegularFile(f)) throw new TokenizerException(f + ": tokenizer file not found");
        JsonNode json = readJson(f);
        Map<String, Integer> specials = specialTokens(json);
        BitSet bytes = bytePieces(json);
        for (String required : List.of("<s>", "</s>"))
            if (!specials.containsKey(required)) throw new TokenizerException(f + ": added_tokens has no special token '" + required + "'");
        try {
            // Explicit options: no truncation (DJL defaults to 512), no padding, <s> added by the post-processor.
            Map<String, String> options = Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true");
            return new HymbaTokenizer(HuggingFaceTokenizer.newInstance(f, options), f, specials, bytes);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(f + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
    }

    private static JsonNode readJson(Path f) {
        try {
            return new ObjectMapper().readTree(f.toFile());
        } catch (IOException e) {
            throw new TokenizerException(f + ": not readable JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    private static Map<String, Integer> specialTokens(JsonNode json) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode t : json.path("added_tokens")) if (t.path("special").asBoolean(false)) out.put(t.path("content").asText(), t.path("id").asInt());
        return out;
    }

    private static BitSet bytePieces(JsonNode json) {
        BitSet out = new BitSet();
        for (var it = json.path("model").path("vocab").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().matches("<0x[0-9A-F]{2}>") && e.getValue().canConvertToInt() && e.getValue().asInt() >= 0) out.set(e.getValue().asInt());
        }
        return out;
    }

    /** Whether id is a byte-fallback piece such as {@code <0xE2>}. */
    public boolean isBytePiece(int id) { return id >= 0 && bytePieces.get(id); }

    public Path file() { return file; }

    public int bosId() { return specialIds.get("<s>"); }

    public int eosId() { return specialIds.get("</s>"); }

    /** Special tokens by text ({@code <unk>, <s>, </s>, [PAD]} for Hymba). */
    public Map<String, Integer> specialTokens() { return specialIds; }

    public boolean isSpecial(int id) { return special.contains(id); }

    /** Encodes plain text with {@code <s>} first, as the reference tokenizer does. */
    public Encoded encode(String text) { return encode(text, true); }

    /** Encodes text, adding {@code <s>} only when asked (chat prompts are encoded without it). */
    public Encoded encode(String text, boolean addBos) {
        Encoding e = hf.encode(text, addBos, false);
        long[] raw = e.getIds();
        int[] ids = new int[raw.length];
        for (int i = 0; i < raw.length; i++) ids[i] = Math.toIntExact(raw[i]);
        CharSpan[] spans = e.getCharTokenSpans();
        List<Span> offsets = new ArrayList<>(spans.length);
        // The library reports no span for tokens it added (the BOS); Python reports (0, 0) for them.
        for (CharSpan s : spans) offsets.add(s == null ? new Span(0, 0) : new Span(s.getStart(), s.getEnd()));
        return new Encoded(ids, Arrays.asList(e.getTokens()), offsets);
    }

    /**
     * A generation prompt: {@code <s>} + text, refused when longer than maxTokens (the positions the model may see
     * for the prompt, e.g. max_position_embeddings − num_memory_tokens). An empty text gives {@code [<s>]}.
     */
    public int[] promptIds(String text, int maxTokens) { return checkLength(encode(text).ids(), maxTokens); }

    /** A chat prompt rendered by the Instruct template and encoded without an added {@code <s>}. */
    public Encoded encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return encode(ChatTemplate.render(messages, addGenerationPrompt), false);
    }

    /** {@link #encodeChat} ids, refused when longer than maxTokens. */
    public int[] chatPromptIds(List<ChatMessage> messages, int maxTokens) {
        return checkLength(encodeChat(messages, true).ids(), maxTokens);
    }

    private static int[] checkLength(int[] ids, int maxTokens) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        if (ids.length > maxTokens)
            throw new TokenizerException("prompt is " + ids.length + " tokens long, more than the limit of " + maxTokens
                    + " tokens (max positions); shorten the prompt or raise the limit");
        return ids;
    }

    /** Decodes ids to text, dropping special tokens ({@code skip_special_tokens=True}) or keeping them. */
    public String decode(int[] ids, boolean skipSpecial) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return hf.decode(l, skipSpecial);
    }

    /** A detokenizer for streaming generated ids one by one. */
    public StreamingDetokenizer streaming(boolean skipSpecial) { return new StreamingDetokenizer(this, skipSpecial); }

    @Override
    public void close() { hf.close(); }
}
