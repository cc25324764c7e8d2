package dev.hymba.workbench.engine;

import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.ModelShape;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.workbench.cli.AblationOption;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.tokenizer.ChatMessage;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import dev.hymba.workbench.cli.ModelLocation;
import dev.hymba.workbench.run.ProgressSink;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.RunRequest;
import dev.hymba.workbench.run.RunService;
import dev.hymba.workbench.run.TraceRunData;
import dev.hymba.workbench.run.SweepJob;
import dev.hymba.workbench.run.FusionScales;
import dev.hymba.workbench.run.LayerStatics;
import dev.hymba.sweeps.LocalExecutor;
import dev.hymba.sweeps.SweepPlan;
import dev.hymba.sweeps.SweepSpec;
import dev.hymba.workbench.run.TokenInfo;
import dev.hymba.workbench.run.TokenKind;
import dev.hymba.plugins.bundled.PromptTokens;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workbench's engine: loads a checkpoint (kept until another one is asked for), tokenizes the prompt, compiles
 * the ablation spec and records a trace, reporting progress per layer and stopping between layers when cancelled.
 */
public final class EngineRunService implements RunService, AutoCloseable {
    private Path loadedDir;
    private HymbaModel model;
    private HymbaTokenizer tokenizer;
    private Path sweepDir;
    private HymbaModel sweepModel;

    @Override
    public synchronized RunData run(RunRequest request, ProgressSink progress) throws Exception {
        Path dir = request.model().isBlank() ? ModelLocation.resolve(null) : Path.of(request.model());
        if (!Files.isRegularFile(dir.resolve("config.json"))) throw new IllegalArgumentException(dir + " is not a model folder (no config.json)");
        progress.progress(-1, "Loading " + dir.getFileName());
        ensureLoaded(dir);
        progress.checkCancelled();
        if (request.prompt().isEmpty()) throw new IllegalArgumentException("The prompt is empty");
        int max = Math.max(1, model.config().maxPositionEmbeddings() - model.config().numMemoryTokens());
        HymbaTokenizer.Encoded enc = request.chatTemplate()
                ? tokenizer.encodeChat(List.of(ChatMessage.user(request.prompt())), true)
                : tokenizer.encode(request.prompt());
        if (enc.length() > max) throw new IllegalArgumentException("The prompt is " + enc.length() + " tokens long, more than the " + max + " this model can take");
        AblationSpec spec = AblationSpec.fromJson(request.ablationSpec().isBlank() || request.ablationSpec().strip().equals("{}") ? AblationSpec.EMPTY.toJson() : request.ablationSpec());
        spec.validate(ModelShape.of(model.config()));
        // plugin interventions resolve among the plugins this process sees (class path and plugins folders), as on the CLI
        if (!spec.plugins().isEmpty()) AblationOption.interventions().validate(spec, model.config());
        int layers = model.config().numHiddenLayers();
        RunOptions.Builder base = RunOptions.builder()
                .progress((done, total) -> progress.progress((double) done / total, "Layer " + done + " of " + total))
                .cancelled(progress::cancelled);
        AblationCompiler.Compiled c = AblationOption.compile(spec, model.config(), base);
        Trace t = Tracer.run(model, new Tracer.Request(enc.ids(), enc.pieces(), request.prompt(), c.options(), spec.toJson(),
                c.attentionEditedLayers(), spec.isOutOfDistribution()));
        progress.progress(1, "Ran " + enc.length() + " tokens through " + layers + " layers");
        return new TraceRunData(t, scales());
    }

    /**
     * The model that produced the run (loaded once, shared with the views' runs), its tokenizer and the run's prompt
     * ids without meta tokens: what the bundled plugins read through their context.
     */
    @Override
    public synchronized Map<Class<?>, Object> analysisServices(RunData run) {
        String m = run.provenance().model();
        Path dir = m.isBlank() ? ModelLocation.resolve(null) : Path.of(m);
        if (!Files.isRegularFile(dir.resolve("config.json"))) throw new IllegalArgumentException(dir + " is not a model folder (no config.json)");
        ensureLoaded(dir);
        List<String> pieces = run.tokens().stream().filter(t -> t.kind() != TokenKind.META).map(TokenInfo::piece).toList();
        int[] ids = run.provenance().tokenIds().stream().mapToInt(Integer::intValue).toArray();
        Map<Class<?>, Object> s = new HashMap<>();
        s.put(HymbaModel.class, model);
        s.put(HymbaTokenizer.class, tokenizer);
        s.put(PromptTokens.class, new PromptTokens(ids, pieces.size() == ids.length ? pieces : null));
        // The run's ablation, compiled as for the run itself, so that a plugin can analyse the ablated model
        // (plugins start their own forward passes; without this they could only see the baseline weights).
        AblationSpec spec = AblationSpec.fromJson(run.provenance().ablated() ? run.provenance().ablationSpec() : AblationSpec.EMPTY.toJson());
        if (!spec.isEmpty()) {
            spec.validate(ModelShape.of(model.config()));
            s.put(AblationSpec.class, spec);
            s.put(RunOptions.class, AblationOption.compile(spec, model.config(), RunOptions.builder()).options());
        }
        return s;
    }

    /**
     * Sweeps keep their own model: a sweep folder need not hold a tokenizer (prompts may be ids), and a sweep must
     * not lose its weights when the user runs a prompt on another model meanwhile.
     */
    @Override
    public synchronized SweepJob startSweep(SweepSpec spec, int workers, Path outDir, LocalExecutor.Listener listener) {
        Path dir = spec.modelDir().toAbsolutePath().normalize();
        if (!dir.equals(sweepDir)) {
            if (sweepModel != null) sweepModel.close();
            sweepModel = null;
            sweepDir = null;
            sweepModel = HymbaModel.load(dir);
            sweepDir = dir;
        }
        SweepPlan plan = SweepPlan.local(spec, sweepModel.config(), dir);
        return new SweepJob(plan, LocalExecutor.start(sweepModel, plan, workers, outDir, listener));
    }

    /** β₁/β₂, A and D of every layer of the loaded model (small vectors next to the trace's [T, I] arrays). */
    private List<LayerStatics> scales() {
        List<LayerStatics> s = new java.util.ArrayList<>();
        for (var lw : model.weights().layers()) {
            FusionScales f = lw.beta1() == null || lw.beta2() == null ? null : new FusionScales(lw.beta1(), lw.beta2());
            s.add(new LayerStatics(f, lw.negA(), lw.d()));
        }
        return s;
    }

    private void ensureLoaded(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.equals(loadedDir)) return;
        dropRunModel();
        HymbaModel m = HymbaModel.load(abs);
        HymbaTokenizer tok;
        try {
            tok = HymbaTokenizer.load(abs);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        model = m;
        tokenizer = tok;
        loadedDir = abs;
    }

    private void dropRunModel() {
        if (tokenizer != null) tokenizer.close();
        if (model != null) model.close();
        model = null;
        tokenizer = null;
        loadedDir = null;
    }

    /** Frees both models; a sweep still running on the sweep model must be cancelled first. */
    @Override
    public synchronized void close() {
        dropRunModel();
        if (sweepModel != null) sweepModel.close();
        sweepModel = null;
        sweepDir = null;
    }
}
