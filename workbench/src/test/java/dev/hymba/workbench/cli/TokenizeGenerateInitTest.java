package dev.hymba.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.io.DType;
import dev.hymba.core.io.RandomCheckpoint;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TokenizeGenerateInitTest {
    private static Path realTokenizerFiles() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        return SharedData.golden().get().resolve("hymba-1.5b-reference-files");
    }

    @Test
    void tokenizeMatchesTheGoldenTokenizerCase() throws Exception {
        Path dir = realTokenizerFiles();
        JsonNode cases = new ObjectMapper().readTree(SharedData.golden().get().resolve("tokenizer-golden.json").toFile());
        JsonNode first = null;
        for (JsonNode c : cases.get("cases")) if (!c.get("text").asText().isEmpty()) { first = c; break; }
        CliTestSupport.Result r = CliTestSupport.run("tokenize", "--model", dir.toString(), "--text", first.get("text").asText());
        assertThat(r.exitCode()).as(r.err()).isZero();
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < first.get("ids").size(); i++) ids.append(i == 0 ? "" : ", ").append(first.get("ids").get(i).asInt());
        assertThat(r.out()).contains("ids    " + ids + "]");
    }

    /** A tiny random model with the real 32,001-piece vocabulary, so the real tokenizer drives it. */
    private static Path tinyModelWithRealTokenizer(Path tmp) throws Exception {
        Path src = realTokenizerFiles();
        HymbaConfig c = new HymbaConfig(32001, 32, 2, 2, 1, 64, 1e-6, true, true, 10000.0, "ntk", 256, 64,
                4, 8, List.of(0), List.of(), 4, 4, 2, 2, true, false, true, "silu", "silu", 1, 2, 0, FusionMode.FUSED);
        Path dir = tmp.resolve("m");
        RandomCheckpoint.write(c, DType.F32, 3, dir);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"))
            Files.copy(src.resolve(f), dir.resolve(f)); // a temp copy for the test run only
        return dir;
    }

    @Test
    void generateStreamsGreedyTokensThatMatchTheEngine(@TempDir Path tmp) throws Exception {
        Path dir = tinyModelWithRealTokenizer(tmp);
        CliTestSupport.Result r = CliTestSupport.run("generate", "--model", dir.toString(), "--prompt", "Hello", "--max-new", "5", "--ignore-eos");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Hello");
        assertThat(r.err()).contains("[5 tokens in").contains("stopped: length");
        // The same greedy continuation through the API, decoded in one go, is what was streamed.
        try (HymbaModel m = HymbaModel.load(dir); var tok = dev.hymba.core.tokenizer.HymbaTokenizer.load(dir)) {
            var res = new dev.hymba.core.model.Generator(m).generate(tok.promptIds("Hello", 100),
                    new dev.hymba.core.model.Generator.Settings(5, 0, 0, 1, 0, false), RunOptions.DEFAULT, t -> {});
            assertThat(r.out().strip()).isEqualTo(("Hello" + tok.decode(res.tokens(), true)).strip());
        }
        CliTestSupport.Result sampled1 = CliTestSupport.run("generate", "--model", dir.toString(), "--prompt", "Hello", "--max-new", "6", "--temperature", "1.0", "--top-p", "0.9", "--seed", "42", "--ignore-eos");
        CliTestSupport.Result sampled2 = CliTestSupport.run("generate", "--model", dir.toString(), "--prompt", "Hello", "--max-new", "6", "--temperature", "1.0", "--top-p", "0.9", "--seed", "42", "--ignore-eos");
        assertThat(sampled1.out()).isEqualTo(sampled2.out());
        assertThat(CliTestSupport.run("generate", "--model", dir.toString(), "--prompt", "Hi", "--top-p", "0").err()).contains("top-p must be in (0, 1]");
        assertThat(CliTestSupport.run("generate", "--model", dir.toString(), "--prompt", "").err()).contains("--prompt is empty");
        assertThat(CliTestSupport.run("generate", "--model", dir.toString(), "--prompt", "word ".repeat(400)).err()).contains("more than the limit of 252 tokens");
    }

    @Test
    void traceAcceptsText(@TempDir Path tmp) throws Exception {
        Path dir = tinyModelWithRealTokenizer(tmp);
        CliTestSupport.Result r = CliTestSupport.run("trace", "--model", dir.toString(), "--text", "The cat sat.", "--out", tmp.resolve("t").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode prov = new ObjectMapper().readTree(tmp.resolve("t/provenance.json").toFile());
        assertThat(prov.get("prompt").asText()).isEqualTo("The cat sat.");
        assertThat(prov.get("token_ids").get(0).asInt()).isEqualTo(1);
    }

    @Test
    void initWritesALoadableCheckpoint(@TempDir Path tmp) {
        Path out = tmp.resolve("tiny");
        CliTestSupport.Result r = CliTestSupport.run("init", "--like", "tiny", "--dtype", "bf16", "--seed", "5", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (HymbaModel m = HymbaModel.load(out)) {
            assertThat(m.forward(new int[]{1, 7, 9}, RunOptions.DEFAULT).rows()).isEqualTo(3);
        }
        assertThat(CliTestSupport.run("init", "--like", "tiny", "--out", out.toString()).err()).contains("folder is not empty");
        assertThat(CliTestSupport.run("init", "--like", "huge", "--out", tmp.resolve("x").toString()).err()).contains("'huge' is not one of");
        assertThat(CliTestSupport.run("init", "--like", "tiny", "--dtype", "f8", "--out", tmp.resolve("y").toString()).err()).contains("--dtype: 'f8'");
    }
}
