package dev.hymba.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real Hymba tokenizer (read in place from shared/golden) against the 27 golden encodings. */
class HymbaTokenizerTest {
    private static HymbaTokenizer tok;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws Exception {
        Optional<Path> g = SharedData.golden();
        assumeTrue(g.isPresent() && Files.isRegularFile(g.get().resolve("tokenizer-golden.json")),
                "golden data absent (../shared/golden/tokenizer-golden.json); skipping tokenizer tests");
        tok = HymbaTokenizer.load(g.get().resolve("hymba-1.5b-reference-files"));
        golden = new ObjectMapper().readTree(g.get().resolve("tokenizer-golden.json").toFile());
    }

    @AfterAll
    static void close() { if (tok != null) tok.close(); }

    static Stream<String> caseNames() throws Exception {
        Optional<Path> g = SharedData.golden();
        if (g.isEmpty() || !Files.isRegularFile(g.get().resolve("tokenizer-golden.json"))) return Stream.of("absent");
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(g.get().resolve("tokenizer-golden.json").toFile()).get("cases").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    private static JsonNode goldenCase(String name) {
        for (JsonNode c : golden.get("cases")) if (c.get("name").asText().equals(name)) return c;
        throw new AssertionError("no golden case " + name);
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    @Test
    void goldenSetHas27Cases() {
        assertThat(golden.get("cases")).hasSize(27);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void reproducesGoldenEncodingExactly(String name) {
        JsonNode c = goldenCase(name);
        HymbaTokenizer.Encoded e = tok.encode(c.get("text").asText());
        assertThat(e.ids()).as("ids").containsExactly(ints(c.get("ids")));
        List<String> pieces = new ArrayList<>();
        c.get("tokens").forEach(t -> pieces.add(t.asText()));
        assertThat(e.pieces()).as("pieces").containsExactlyElementsOf(pieces);
        List<HymbaTokenizer.Span> spans = new ArrayList<>();
        c.get("offsets").forEach(o -> spans.add(new HymbaTokenizer.Span(o.get(0).asInt(), o.get(1).asInt())));
        assertThat(e.offsets()).as("offsets").containsExactlyElementsOf(spans);
        assertThat(tok.decode(e.ids(), true)).as("decoded").isEqualTo(c.get("decoded").asText());
        assertThat(tok.decode(e.ids(), false)).as("decoded_keep_special").isEqualTo(c.get("decoded_keep_special").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void streamingEqualsFullDecodeAndNeverEmitsPartialCharacters(String name) {
        int[] ids = ints(goldenCase(name).get("ids"));
        for (boolean skip : new boolean[]{true, false}) {
            StreamingDetokenizer s = tok.streaming(skip);
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                String piece = s.push(id);
                assertThat(piece).as("chunk after id %d", id).doesNotContain("\uFFFD");
                out.append(piece);
            }
            out.append(s.finish());
            assertThat(out.toString()).isEqualTo(tok.decode(ids, skip));
        }
    }

    @Test
    void byteFallbackEmojiIsHeldBackUntilComplete() {
        // 😀 = F0 9F 98 80: four byte pieces, nothing may come out before the last one.
        int[] ids = tok.encode("a😀").ids();
        assertThat(tok.encode("a😀").pieces()).containsSubsequence("<0xF0>", "<0x9F>", "<0x98>", "<0x80>");
        StreamingDetokenizer s = tok.streaming(true);
        List<String> chunks = new ArrayList<>();
        for (int id : ids) chunks.add(s.push(id));
        assertThat(chunks).containsExactly("", "a", "", "", "", "");
        assertThat(s.finish()).isEqualTo("😀"); // held until the byte run is closed
        s = tok.streaming(true);
        chunks.clear();
        for (int id : tok.encode("😀!", false).ids()) chunks.add(s.push(id));
        assertThat(chunks).containsExactly("", "", "", "", "", "😀!");
        assertThat(tok.isBytePiece(3)).isTrue(); // <0x00>
        assertThat(tok.isBytePiece(258)).isTrue(); // <0xFF>
        assertThat(tok.isBytePiece(259)).isFalse();
        assertThat(tok.isBytePiece(1)).isFalse();
    }

    @Test
    void unfinishedByteSequenceIsFlushedAsTheDecoderShowsIt() {
        int[] ids = tok.encode("x😀").ids();
        int[] cut = Arrays.copyOf(ids, ids.length - 2); // drop the last two bytes of the emoji
        StreamingDetokenizer s = tok.streaming(true);
        StringBuilder out = new StringBuilder();
        for (int id : cut) out.append(s.push(id));
        assertThat(out.toString()).isEqualTo("x");
        out.append(s.finish());
        assertThat(out.toString()).isEqualTo("x\uFFFD\uFFFD"); // one U+FFFD per byte of the broken run
        assertThat(out.toString()).isEqualTo(tok.decode(cut, true)).contains("\uFFFD");
    }

    @Test
    void streamingMatchesFullDecodeOnRandomIdSequences() {
        // Random ids mix word pieces, bare "▁", byte pieces and specials: the concatenation must still be exact.
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int[] ids = new int[1 + r.nextInt(30)];
            for (int i = 0; i < ids.length; i++) {
                int k = r.nextInt(10);
                ids[i] = k < 3 ? 3 + r.nextInt(256) /* byte pieces <0x00>..<0xFF> */ : k == 3 ? 29871 /* ▁ */ : k == 4 ? r.nextInt(3) : r.nextInt(32001);
            }
            for (boolean skip : new boolean[]{true, false}) {
                StreamingDetokenizer s = tok.streaming(skip);
                StringBuilder out = new StringBuilder();
                for (int id : ids) out.append(s.push(id));
                out.append(s.finish());
                assertThat(out.toString()).as("ids %s skip %s", Arrays.toString(ids), skip).isEqualTo(tok.decode(ids, skip));
            }
        }
    }

    @Test
    void chatTemplateRendersTheGoldenChatTextsAndEncodesWithoutBos() {
        String t1 = ChatTemplate.render(List.of(ChatMessage.user("Hello")), true);
        JsonNode g1 = goldenCase("chat_template");
        assertThat(t1).isEqualTo(g1.get("text").asText());
        List<ChatMessage> withSystem = List.of(ChatMessage.system("You are a helpful assistant."), ChatMessage.user("What is 2+2?"));
        JsonNode g2 = goldenCase("chat_template_with_system");
        assertThat(ChatTemplate.render(withSystem, true)).isEqualTo(g2.get("text").asText());
        // apply_chat_template(tokenize=True) adds no <s>: the golden ids (encoded with <s>) minus the first.
        int[] expected = ints(g2.get("ids"));
        assertThat(tok.encodeChat(withSystem, true).ids()).containsExactly(Arrays.copyOfRange(expected, 1, expected.length));
        assertThat(tok.chatPromptIds(List.of(ChatMessage.user("Hello")), 100)).containsExactly(Arrays.copyOfRange(ints(g1.get("ids")), 1, g1.get("ids").size()));
    }

    @Test
    void chatTemplateMultiTurnToolsContextsAndStripping() {
        List<ChatMessage> m = List.of(ChatMessage.system("  Be brief.\n"), ChatMessage.user("\u00A0Hi there \t"),
                ChatMessage.assistant("Hello!\n\n"), ChatMessage.tool(" {\"r\": 1} "), ChatMessage.user("Bye"));
        assertThat(ChatTemplate.render(m, false)).isEqualTo(
                "<extra_id_0>System\nBe brief.\n\n<extra_id_1>User\nHi there\n<extra_id_1>Assistant\nHello!\n"
                        + "<extra_id_1>Tool\n{\"r\": 1}\n<extra_id_1>User\nBye\n");
        assertThat(ChatTemplate.render(List.of(ChatMessage.system("S"), ChatMessage.user("U")),
                List.of("{\"name\": \"calc\"}"), List.of(" doc one "), true)).isEqualTo(
                "<extra_id_0>System\nS\n\n<tool> {\"name\": \"calc\"} </tool>\n\n<context> doc one </context>\n\n"
                        + "<extra_id_1>User\nU\n<extra_id_1>Assistant\n");
        assertThat(ChatTemplate.render(List.of(ChatMessage.user("U")), List.of(), List.of("c"), false))
                .isEqualTo("<extra_id_0>System\n<context> c </context>\n\n<extra_id_1>User\nU\n");
        assertThat(ChatTemplate.render(List.of(), false)).isEqualTo("<extra_id_0>System\n\n");
        assertThatThrownBy(() -> new ChatMessage("narrator", "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'narrator'");
    }

    @Test
    void pythonStripUsesPythonsWhitespaceSet() {
        assertThat(ChatTemplate.pyStrip("\u3000\u0085\u2028 x \u001F\u00A0")).isEqualTo("x");
        assertThat(ChatTemplate.pyStrip("\u200Bx\u200B")).as("zero-width space is not whitespace in Python").isEqualTo("\u200Bx\u200B");
    }

    @Test
    void emptyPromptIsBosOnlyAndLongPromptsAreRefusedNamingTheLimit() {
        assertThat(tok.promptIds("", 8064)).containsExactly(1);
        assertThat(tok.bosId()).isEqualTo(1);
        assertThat(tok.eosId()).isEqualTo(2);
        assertThat(tok.specialTokens()).containsEntry("[PAD]", 32000).containsEntry("<unk>", 0);
        String longText = "hello ".repeat(1000);
        assertThat(tok.encode(longText).length()).as("no truncation at 512").isEqualTo(1002);
        assertThat(tok.promptIds(longText, 1002)).hasSize(1002);
        assertThatThrownBy(() -> tok.promptIds(longText, 1001)).isInstanceOf(TokenizerException.class)
                .hasMessage("prompt is 1002 tokens long, more than the limit of 1001 tokens (max positions); shorten the prompt or raise the limit");
    }

    @Test
    void validLookingBytesFollowedByAnInvalidByteAreNeverShownEarly() {
        // <0x2A> '*' then <0xB1> (a lone continuation byte): the decoder turns the whole run into U+FFFD,
        // so '*' must not be emitted before the run is closed.
        int[] ids = {45, 180, 15043};
        StreamingDetokenizer s = tok.streaming(true);
        assertThat(s.push(45)).isEmpty();
        assertThat(s.push(180)).isEmpty();
        String last = s.push(15043);
        assertThat(last + s.finish()).isEqualTo(tok.decode(ids, true)).startsWith("\uFFFD\uFFFD");
    }

    @Test
    void idsOutsideTheVocabularyDecodeToNothing() {
        assertThat(tok.decode(new int[]{15043, 99999, 3186}, true)).isEqualTo("Hello world");
    }

    @Test
    void encodeWithoutBos() {
        assertThat(tok.encode("Hello world", false).ids()).containsExactly(15043, 3186);
        assertThat(tok.encode("", false).ids()).isEmpty();
    }

    @Test
    void missingOrBrokenTokenizerFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> HymbaTokenizer.load(dir)).isInstanceOf(TokenizerException.class)
                .hasMessage(dir.resolve("tokenizer.json") + ": tokenizer file not found");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"added_tokens\": [");
        assertThatThrownBy(() -> HymbaTokenizer.load(dir)).isInstanceOf(TokenizerException.class).hasMessageContaining("not readable JSON");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"added_tokens\": []}");
        assertThatThrownBy(() -> HymbaTokenizer.load(dir)).isInstanceOf(TokenizerException.class).hasMessageContaining("no special token '<s>'");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"added_tokens\": [{\"id\":1,\"content\":\"<s>\",\"special\":true},{\"id\":2,\"content\":\"</s>\",\"special\":true}]}");
        assertThatThrownBy(() -> HymbaTokenizer.load(dir)).isInstanceOf(TokenizerException.class).hasMessageContaining("cannot load tokenizer");
    }
}
