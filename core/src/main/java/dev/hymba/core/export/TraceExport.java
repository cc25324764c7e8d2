package dev.hymba.core.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.MetaMode;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.trace.HeadSummary;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Runs a traced prefill and writes the arrays under the golden set's names and shapes
 * ({@code hidden_states.npy [n+1,T,d]}, {@code attn_out.npy}, {@code ssm_out.npy [n,T,I]}, {@code ssm_delta.npy},
 * {@code ssm_state_norm.npy}, {@code fusion_scales.npy [n,2,I]}, {@code logits.npy [L,V]}, {@code input_ids.npy}),
 * {@code attn_probs.npy [n,H,T,T]} only for all maps, {@code attn_map_L{l}_H{h}.npy [T,T]} for chosen ones, plus
 * {@code metrics.json} and {@code provenance.json}. Large streams are written layer by layer as the run produces them.
 */
public final class TraceExport {
    private TraceExport() {}

    /** Which attention maps to write: none, all, or a list of (layer, head). */
    public record Maps(boolean all, List<int[]> selected) {
        public static final Maps NONE = new Maps(false, List.of());

        /** Parses "all" or "L:H,L:H". */
        public static Maps parse(String spec, HymbaConfig c) {
            if (spec == null || spec.isBlank()) return NONE;
            if (spec.equals("all")) return new Maps(true, List.of());
            List<int[]> out = new ArrayList<>();
            for (String part : spec.split(",")) {
                String[] lh = part.trim().split(":");
                if (lh.length != 2) throw new IllegalArgumentException("--maps: '" + part + "' is not LAYER:HEAD");
                int l, h;
                try {
                    l = Integer.parseInt(lh[0]);
                    h = Integer.parseInt(lh[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--maps: '" + part + "' is not LAYER:HEAD with integers");
                }
                if (l < 0 || l >= c.numHiddenLayers()) throw new IllegalArgumentException("--maps: layer " + l + " is outside 0.." + (c.numHiddenLayers() - 1));
                if (h < 0 || h >= c.numAttentionHeads()) throw new IllegalArgumentException("--maps: head " + h + " is outside 0.." + (c.numAttentionHeads() - 1));
                out.add(new int[]{l, h});
            }
            return new Maps(false, out);
        }
    }

    public static Trace run(HymbaModel model, Tracer.Request req, Path out, Maps maps) throws IOException {
        Files.createDirectories(out);
        if (!Files.isWritable(out)) throw new IOException(out + ": folder is not writable");
        HymbaConfig c = model.config();
        int n = c.numHiddenLayers(), d = c.hiddenSize(), I = c.innerSize();
        int T = (req.options().metaMode() == MetaMode.DROPPED ? 0 : c.numMemoryTokens()) + req.ids().length;
        try (StreamingRecorder rec = new StreamingRecorder(out, n, T, d, I)) {
            RunOptions withExport = req.options().toBuilder().hooks(Hooks.chain(req.options().hooks(), rec)).build();
            Trace trace = Tracer.run(model, req.withOptions(withExport));
            rec.finish();
            writeRest(model, trace, out, maps);
            return trace;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void writeRest(HymbaModel model, Trace trace, Path out, Maps maps) throws IOException {
        HymbaConfig c = model.config();
        int n = c.numHiddenLayers(), I = c.innerSize(), T = trace.positions(), H = c.numAttentionHeads();
        try (NpyStreamWriter delta = new NpyStreamWriter(out.resolve("ssm_delta.npy"), n, T, I);
             NpyStreamWriter norms = new NpyStreamWriter(out.resolve("ssm_state_norm.npy"), n, T, I);
             NpyStreamWriter scales = new NpyStreamWriter(out.resolve("fusion_scales.npy"), n, 2, I)) {
            for (int l = 0; l < n; l++) {
                LayerTrace lt = trace.layers().get(l);
                delta.write(orZeros(lt.delta(), T * I));
                norms.write(orZeros(lt.stateNorms(), T * I));
                scales.write(model.weights().layers().get(l).beta1());
                scales.write(model.weights().layers().get(l).beta2());
            }
        }
        NpyStreamWriter.write(out.resolve("logits.npy"), trace.logits().logits(), trace.logits().rows(), trace.logits().vocab());
        dev.hymba.core.io.Npy.writeInt32(out.resolve("input_ids.npy"), trace.ids(), trace.ids().length);
        if (maps.all()) {
            try (NpyStreamWriter w = new NpyStreamWriter(out.resolve("attn_probs.npy"), n, H, T, T)) {
                for (int l = 0; l < n; l++)
                    for (int h = 0; h < H; h++) w.write(trace.layers().get(l).q() == null ? new float[T * T] : trace.attentionMap(l, h));
            }
        }
        for (int[] lh : maps.selected())
            NpyStreamWriter.write(out.resolve("attn_map_L" + lh[0] + "_H" + lh[1] + ".npy"), trace.attentionMap(lh[0], lh[1]), T, T);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("metrics.json").toFile(), metrics(trace));
        json.writeValue(out.resolve("provenance.json").toFile(), trace.provenance().toMap());
    }

    private static float[] orZeros(float[] a, int n) { return a == null ? new float[n] : a; }

    /** Every per-layer/per-head analysis of the trace as a JSON-ready map. */
    public static Map<String, Object> metrics(Trace trace) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("positions", trace.positions());
        root.put("meta_tokens", trace.metaCount());
        root.put("bos_position", trace.bosPosition());
        List<Object> layers = new ArrayList<>();
        for (LayerTrace lt : trace.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", lt.layer());
            m.put("window", lt.window() == Integer.MAX_VALUE ? "global" : lt.window());
            m.put("kv_producer", lt.kvProducer());
            m.put("trust_check", lt.trust().describe());
            m.put("branch_share_mean", mean(lt.branchShare()));
            m.put("attn_out_norm_mean", mean(lt.attnOutNorm()));
            m.put("ssm_out_norm_mean", mean(lt.ssmOutNorm()));
            List<Object> heads = new ArrayList<>();
            for (int h = 0; h < lt.heads().size(); h++) {
                HeadSummary s = lt.heads().get(h);
                Map<String, Object> hm = new LinkedHashMap<>();
                hm.put("head", h);
                hm.put("meta_mass", s.metaMass());
                hm.put("bos_mass", s.bosMass());
                hm.put("self_mass", s.selfMass());
                hm.put("cross_mass", s.crossMass());
                hm.put("entropy", s.entropy());
                hm.put("first_token_score", s.firstTokenScore());
                hm.put("initial_mass_4", s.initialMass());
                hm.put("alpha_first_key", s.alphaMaskAware().length > 0 ? s.alphaMaskAware()[0] : 0);
                if (trace.bosPosition() >= 0) hm.put("alpha_bos", s.alphaMaskAware()[trace.bosPosition()]);
                hm.put("meta_received", s.metaReceived());
                heads.add(hm);
            }
            m.put("heads", heads);
            layers.add(m);
        }
        root.put("layers", layers);
        return root;
    }

    private static Double mean(float[] a) {
        if (a == null || a.length == 0) return null;
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    /** Streams hidden states and both branch streams to .npy files as the layers produce them. */
    private static final class StreamingRecorder implements Hooks, AutoCloseable {
        private final NpyStreamWriter hidden, attn, ssm;
        private final int n, T, I;
        private int attnLayersWritten, ssmLayersWritten;

        StreamingRecorder(Path out, int n, int T, int d, int I) throws IOException {
            this.n = n;
            this.T = T;
            this.I = I;
            hidden = new NpyStreamWriter(out.resolve("hidden_states.npy"), n + 1, T, d);
            attn = new NpyStreamWriter(out.resolve("attn_out.npy"), n, T, I);
            ssm = new NpyStreamWriter(out.resolve("ssm_out.npy"), n, T, I);
        }

        @Override
        public boolean wants(String p) {
            String s = HookPoint.suffixOf(p);
            return p.equals(HookPoint.layer(0, HookPoint.RESID_PRE)) || s.equals(HookPoint.RESID_POST) || s.equals(HookPoint.ATTN_OUT) || s.equals(HookPoint.SSM_OUT);
        }

        @Override
        public float[] apply(String p, float[] v, int[] shape) {
            try {
                int l = HookPoint.layerOf(p);
                switch (HookPoint.suffixOf(p)) {
                    case HookPoint.RESID_PRE, HookPoint.RESID_POST -> hidden.write(v);
                    case HookPoint.ATTN_OUT -> { padTo(attn, l, true); attn.write(v); attnLayersWritten = l + 1; }
                    case HookPoint.SSM_OUT -> { padTo(ssm, l, false); ssm.write(v); ssmLayersWritten = l + 1; }
                    default -> { }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return v;
        }

        /** A layer whose branch was switched off contributes zeros, keeping the golden shape. */
        private void padTo(NpyStreamWriter w, int layer, boolean attention) throws IOException {
            int done = attention ? attnLayersWritten : ssmLayersWritten;
            for (int l = done; l < layer; l++) w.write(new float[T * I]);
        }

        void finish() throws IOException {
            padTo(attn, n, true);
            padTo(ssm, n, false);
            attnLayersWritten = ssmLayersWritten = n;
        }

        @Override
        public void close() throws IOException {
            hidden.close();
            attn.close();
            ssm.close();
        }
    }
}
