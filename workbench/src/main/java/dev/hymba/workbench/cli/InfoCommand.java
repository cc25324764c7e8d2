package dev.hymba.workbench.cli;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.io.CheckpointFiles;
import dev.hymba.core.io.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.Callable;

/** {@code ./hymba info --model DIR}: config summary, parameter count and the layer map. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Config summary, parameter count, layer map (global/local, KV producers/consumers).")
public final class InfoCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder (Hugging Face layout). Default: the bundled sample.")
    Path model;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = ModelLocation.resolve(model);
        HymbaConfig c = HymbaConfigParser.read(dir.resolve("config.json"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("model            %s%n", dir);
        out.printf("layers           %d (hidden %d, MLP %d, vocab %d)%n", c.numHiddenLayers(), c.hiddenSize(), c.intermediateSize(), c.vocabSize());
        out.printf("attention        %d heads, %d KV heads (GQA %d:1), head dim %d, value head dim %d%n",
                c.numAttentionHeads(), c.numKeyValueHeads(), c.queriesPerKvHead(), c.headDim(), c.valueHeadDim());
        out.printf("SSM              inner %d, state %d, conv %d, dt rank %d%n", c.innerSize(), c.mambaDState(), c.mambaDConv(), c.mambaDtRank());
        out.printf("meta tokens      %d%n", c.numMemoryTokens());
        out.printf("sliding window   %d (global layers %s)%n", c.slidingWindow(), c.globalAttnIdx());
        out.printf("RoPE             %s, base %.4f%n", c.ropeType(), c.ropeBase());
        out.printf("fusion           %s%n", c.fusionMode().jsonName());
        out.printf("parameters       %,d%s%n", c.parameterCount(), c.tieWordEmbeddings() ? " (lm_head tied to embed_tokens)" : "");
        if (Files.isRegularFile(dir.resolve(CheckpointFiles.SINGLE)) || Files.isRegularFile(dir.resolve(CheckpointFiles.INDEX))) {
            try (CheckpointFiles files = CheckpointFiles.open(dir)) {
                Map<String, Integer> dtypes = new TreeMap<>();
                long bytes = 0;
                for (String n : files.names()) {
                    TensorInfo t = files.info(n).orElseThrow();
                    dtypes.merge(t.dtype().name(), 1, Integer::sum);
                    bytes += t.end() - t.begin();
                }
                out.printf("weights          %d tensors in %d file(s), %.1f MB, dtypes %s%n", files.names().size(), files.files().size(), bytes / 1e6, dtypes);
            }
        } else {
            out.printf("weights          none found (config only)%n");
        }
        out.println();
        out.println("layer  attention        KV");
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String attn = c.isGlobal(l) ? "global" : "local (W=" + c.slidingWindow() + ")";
            String kv;
            if (c.isKvConsumer(l)) kv = "reuses layer " + c.kvProducerOf(l);
            else {
                List<Integer> consumers = new ArrayList<>();
                for (int j = 0; j < c.numHiddenLayers(); j++) if (j != l && c.kvProducerOf(j) == l) consumers.add(j);
                kv = consumers.isEmpty() ? "own" : "own -> " + consumers;
            }
            out.printf("%5d  %-16s %s%n", l, attn, kv);
        }
        out.flush();
        return 0;
    }
}
