package dev.hymba.workbench.views.plugins;

import dev.hymba.plugins.api.AnalysisContext;
import dev.hymba.plugins.api.AnalysisPlugin;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.api.HymbaPlugin;
import dev.hymba.plugins.api.InterventionPlugin;
import dev.hymba.plugins.api.ParameterSpec;
import dev.hymba.plugins.api.PluginInfo;
import dev.hymba.plugins.api.ViewPlugin;
import dev.hymba.plugins.host.LoadedPlugin;
import dev.hymba.plugins.host.PluginOutcome;
import dev.hymba.plugins.host.PluginRefusal;
import dev.hymba.plugins.host.PluginRunner;
import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.ProgressSink;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.shell.TaskRunner;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The Plugins page: the plugins the registry found (and refused), the parameters of the selected one, and one run of
 * an analysis plugin on the current run through {@link PluginRunner} (own thread, time limit, cancel). Whatever the
 * plugin does (throw, hang, return bad data) ends as a state of this model, never as an exception in the app.
 */
public final class PluginsViewModel {
    public enum State { IDLE, RUNNING, DONE, FAILED, CANCELLED }

    /** What the list shows about one plugin. */
    public record Entry(String id, String name, String version, String kind, String origin, String description,
                        List<ParameterSpec> parameters, boolean runnable) {}

    /** Engine objects for one run (model, tokenizer, prompt tokens); called on the worker thread. */
    @FunctionalInterface
    public interface Services {
        Map<Class<?>, Object> forRun(RunData run) throws Exception;
    }

    private final List<LoadedPlugin> plugins;
    private final List<PluginRefusal> refusals;
    private final ReadOnlyObjectProperty<RunData> run;
    private final Services services;
    private final TaskRunner tasks;
    private final Duration limit;
    private final Map<String, Map<String, String>> values = new HashMap<>();
    private final ReadOnlyObjectWrapper<Entry> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyObjectWrapper<AnalysisResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper scope = new ReadOnlyStringWrapper("");
    private TaskRunner.Handle handle;
    /** The service types the running plugin asked for (written on the plugin's thread). */
    private volatile java.util.Set<String> asked = java.util.Set.of();
    private volatile boolean offered;

    public PluginsViewModel(List<LoadedPlugin> plugins, List<PluginRefusal> refusals, ReadOnlyObjectProperty<RunData> run,
                            Services services, TaskRunner tasks, Duration limit) {
        this.plugins = List.copyOf(plugins);
        this.refusals = List.copyOf(refusals);
        this.run = run;
        this.services = services;
        this.tasks = tasks;
        this.limit = limit;
        // The status bar's Cancel stops the task without a callback; reflect it here.
        tasks.runningProperty().addListener((o, a, b) -> {
            if (!b && state.get() == State.RUNNING && handle != null && handle.isCancelled()) finishCancelled();
        });
        run.addListener((o, a, b) -> scope.set(scopeBefore(b)));
        scope.set(scopeBefore(run.get()));
        if (!this.plugins.isEmpty()) select(this.plugins.getFirst().id());
    }

    /** Which model a plugin will see on this run, as far as it can be told before it runs. */
    static String scopeBefore(RunData r) {
        if (r == null || !r.provenance().ablated()) return "Plugins run on the baseline model.";
        return "Ablation active (" + r.provenance().ablationSummary() + "): offered to plugins; one that ignores it runs on the baseline model.";
    }

    /**
     * Which model the plugin that just finished analysed. A plugin starts its own forward passes, so the ablation
     * applies only if it asked for the run's compiled options; asking is taken as using them.
     */
    static String scopeAfter(RunData r, String plugin, java.util.Set<String> askedFor, boolean offered) {
        if (r == null || !r.provenance().ablated()) return plugin + " ran on the baseline model.";
        if (offered && askedFor.contains(dev.hymba.workbench.run.RunService.ABLATION_OPTIONS_SERVICE))
            return plugin + " ran on the ablated run (" + r.provenance().ablationSummary() + ").";
        if (!offered) return plugin + " ran on the baseline model; this engine cannot pass the ablation to plugins.";
        return plugin + " ran on the baseline model; ablation not applied by this plugin.";
    }

    /** One line above the results: baseline or ablated model, before and after a plugin run. */
    public ReadOnlyStringProperty scopeProperty() { return scope.getReadOnlyProperty(); }

    public List<Entry> entries() { return plugins.stream().map(p -> entry(p)).toList(); }

    public List<PluginRefusal> refusals() { return refusals; }

    static Entry entry(LoadedPlugin lp) {
        HymbaPlugin p = lp.plugin();
        PluginInfo i = p.info();
        List<ParameterSpec> params = p instanceof AnalysisPlugin a ? safeParameters(a) : List.of();
        return new Entry(i.id(), i.name(), i.version(), kind(p), lp.origin(), i.description(), params, p instanceof AnalysisPlugin);
    }

    /** A plugin's parameters() is plugin code too: a throwing one is shown without parameters. */
    private static List<ParameterSpec> safeParameters(AnalysisPlugin a) {
        try {
            List<ParameterSpec> ps = a.parameters();
            return ps == null ? List.of() : List.copyOf(ps);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static String kind(HymbaPlugin p) {
        List<String> k = new ArrayList<>();
        if (p instanceof AnalysisPlugin) k.add("analysis");
        if (p instanceof InterventionPlugin) k.add("intervention");
        if (p instanceof ViewPlugin) k.add("view");
        return k.isEmpty() ? "plugin" : String.join("+", k);
    }

    public ReadOnlyObjectProperty<Entry> selectedProperty() { return selected.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<AnalysisResult> resultProperty() { return result.getReadOnlyProperty(); }

    /** The failure of the last run, as the user should read it (empty unless FAILED). */
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }

    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }

    public void select(String id) {
        LoadedPlugin p = plugins.stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no plugin '" + id + "'"));
        selected.set(entry(p));
    }

    /** Current values of the selected plugin's parameters: defaults until the user changes them. */
    public Map<String, String> parameterValues() {
        Entry e = selected.get();
        if (e == null) return Map.of();
        Map<String, String> v = values.computeIfAbsent(e.id(), k -> {
            Map<String, String> d = new LinkedHashMap<>();
            for (ParameterSpec s : e.parameters()) d.put(s.name(), s.defaultValue() == null ? "" : s.defaultValue());
            return d;
        });
        return Map.copyOf(v);
    }

    public void setParameter(String name, String value) {
        Entry e = selected.get();
        if (e == null) throw new IllegalStateException("no plugin selected");
        if (e.parameters().stream().noneMatch(s -> s.name().equals(name)))
            throw new IllegalArgumentException("plugin " + e.id() + " has no parameter '" + name + "'");
        parameterValues();
        values.get(e.id()).put(name, value == null ? "" : value);
    }

    /** Whether Run can be pressed now, and if not, why (for the button's tooltip). */
    public Optional<String> cannotRun() {
        Entry e = selected.get();
        if (e == null) return Optional.of("No plugin selected.");
        if (!e.runnable()) return Optional.of(e.id() + " is " + e.kind() + ", not an analysis: it has nothing to run here.");
        if (run.get() == null) return Optional.of("Run a prompt first: plugins analyse the current run.");
        if (state.get() == State.RUNNING) return Optional.of("A plugin is running.");
        return Optional.empty();
    }

    /** A view plugin ready to be built on the FX thread, with the context through which it reads the current run. */
    public record ViewRequest(ViewPlugin plugin, AnalysisContext context) {}

    /** Whether the selected plugin is a view that can open now, and if not, why. */
    public Optional<String> cannotOpenView() {
        Entry e = selected.get();
        if (e == null) return Optional.of("No plugin selected.");
        if (!(plugin(e.id()) instanceof ViewPlugin)) return Optional.of(e.id() + " is " + e.kind() + ", not a view.");
        if (run.get() == null) return Optional.of("Run a prompt first: views show the current run.");
        return Optional.empty();
    }

    /**
     * The selected view plugin and its context over the current run (the same services an analysis gets; the model is
     * already loaded for the run, so this is quick). The caller builds the node on the FX thread and reports back
     * with {@link #viewOpened} or {@link #viewFailed}, so that a broken view shows in the error panel like a broken
     * analysis and the rest of the page keeps working.
     */
    public ViewRequest viewRequest() throws Exception {
        Optional<String> no = cannotOpenView();
        if (no.isPresent()) throw new IllegalStateException(no.get());
        ViewPlugin plugin = (ViewPlugin) plugin(selected.get().id());
        Map<Class<?>, Object> svc = services.forRun(run.get());
        ProgressSink quiet = new ProgressSink() {
            @Override public void progress(double fraction, String message) {}
            @Override public boolean cancelled() { return false; }
        };
        return new ViewRequest(plugin, new Context(withoutBlanks(parameterValues()), svc, quiet, java.util.concurrent.ConcurrentHashMap.newKeySet()));
    }

    public void viewOpened(String pluginId) {
        error.set("");
        state.set(State.DONE);
        status.set("Opened the view of " + pluginId);
    }

    public void viewFailed(String pluginId, Throwable e) {
        fail(pluginId + " could not build its view: " + describe(e) + "\n\n" + stackTrace(e));
    }

    private HymbaPlugin plugin(String id) {
        return plugins.stream().filter(p -> p.id().equals(id)).findFirst().map(LoadedPlugin::plugin).orElse(null);
    }

    /** Starts the selected analysis on the current run; returns false (with the reason in the status) when it cannot. */
    public boolean runSelected() {
        Optional<String> no = cannotRun();
        if (no.isPresent()) {
            status.set(no.get());
            return false;
        }
        AnalysisPlugin plugin = (AnalysisPlugin) plugins.stream().filter(p -> p.id().equals(selected.get().id())).findFirst().orElseThrow().plugin();
        Map<String, String> params = withoutBlanks(parameterValues());
        RunData data = run.get();
        state.set(State.RUNNING);
        result.set(null);
        error.set("");
        status.set("Running " + plugin.info().id() + "\u2026");
        scope.set(scopeBefore(data));
        handle = tasks.submit("Plugin " + plugin.info().id(), p -> invoke(plugin, params, data, p),
                o -> {
                    if (o instanceof PluginOutcome.Success) scope.set(scopeAfter(data, plugin.info().id(), asked, offered));
                    finished(o);
                }, e -> fail("Could not start " + plugin.info().id() + ": " + describe(e)));
        return true;
    }

    /** Blank means "use the plugin's own default" (for example logit lens's target), as on the command line. */
    private static Map<String, String> withoutBlanks(Map<String, String> v) {
        Map<String, String> m = new LinkedHashMap<>();
        v.forEach((k, x) -> { if (!x.isBlank()) m.put(k, x.strip()); });
        return m;
    }

    private PluginOutcome invoke(AnalysisPlugin plugin, Map<String, String> params, RunData data, ProgressSink sink) throws Exception {
        sink.progress(-1, "Preparing " + plugin.info().id());
        Map<Class<?>, Object> svc = services.forRun(data);
        sink.checkCancelled();
        offered = svc.keySet().stream().anyMatch(c -> c.getName().equals(dev.hymba.workbench.run.RunService.ABLATION_OPTIONS_SERVICE));
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        asked = seen;
        PluginRunner.Invocation inv = PluginRunner.start(plugin, new Context(params, svc, sink, seen), limit);
        try {
            return inv.await(); // an interrupt from Cancel ends the wait and cancels the plugin
        } finally {
            if (sink.cancelled()) inv.cancel();
        }
    }

    private void finished(PluginOutcome o) {
        switch (o) {
            case PluginOutcome.Success s -> {
                result.set(s.result());
                state.set(State.DONE);
                status.set(o.summary());
            }
            case PluginOutcome.Cancelled c -> finishCancelled();
            case PluginOutcome.Failed f -> fail(o.summary() + "\n\n" + stackTrace(f.error()));
            default -> fail(o.summary());
        }
    }

    private void fail(String message) {
        error.set(message);
        state.set(State.FAILED);
        status.set(message.lines().findFirst().orElse(message));
    }

    private void finishCancelled() {
        state.set(State.CANCELLED);
        status.set("Cancelled");
    }

    public void cancel() {
        if (handle != null && state.get() == State.RUNNING) {
            handle.cancel();
            finishCancelled();
        }
    }

    private static String describe(Throwable e) { return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(); }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** The host's context: parameters, the engine services, progress into the status bar, cancel from the task. */
    private record Context(Map<String, String> parameters, Map<Class<?>, Object> services, ProgressSink sink,
                           java.util.Set<String> asked) implements AnalysisContext {
        @Override public <T> Optional<T> service(Class<T> type) {
            asked.add(type.getName()); // tells the page whether the plugin took the run's ablation
            return Optional.ofNullable(services.get(type)).map(type::cast);
        }

        @Override public void progress(double fraction, String message) { sink.progress(fraction, message); }

        @Override public boolean isCancelled() { return sink.cancelled(); }
    }

    /**
     * The result's figures drawn with the workbench's charts (so they export like every other figure): HEATMAP as a
     * cell heatmap (diverging when the array has negative values), BAR as grouped bars, LINE as lines over the column
     * index. Labels default to indices when the plugin gave none. Arrays no figure refers to are drawn too: 2-D as a
     * heatmap, 1-D as a line (3-D and larger are left to the CLI's .npy export).
     */
    public static List<Figure> figures(AnalysisResult r) {
        Map<String, AnalysisResult.NamedArray> arrays = new HashMap<>();
        for (AnalysisResult.NamedArray a : r.arrays()) arrays.put(a.name(), a);
        List<AnalysisResult.Figure> all = new ArrayList<>(r.figures());
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (AnalysisResult.Figure f : r.figures()) drawn.add(f.arrayName());
        for (AnalysisResult.NamedArray a : r.arrays()) {
            if (drawn.contains(a.name()) || a.data().length == 0) continue;
            if (a.shape().length == 2) all.add(new AnalysisResult.Figure(a.name(), AnalysisResult.Figure.Kind.HEATMAP, a.name(), null, null, "column", "row"));
            else if (a.shape().length == 1) all.add(new AnalysisResult.Figure(a.name(), AnalysisResult.Figure.Kind.LINE, a.name(), List.of(a.name()), null, "index", a.name()));
        }
        List<Figure> out = new ArrayList<>();
        int n = 0;
        for (AnalysisResult.Figure f : all) {
            AnalysisResult.NamedArray a = arrays.get(f.arrayName());
            int rows = a.shape().length == 2 ? a.shape()[0] : 1;
            int cols = a.shape().length == 2 ? a.shape()[1] : a.shape()[0];
            List<String> rowLabels = labels(f.rowLabels(), rows, "row ");
            List<String> colLabels = labels(f.columnLabels(), cols, "");
            String name = "plugin-" + safe(r.title()) + "-" + n++;
            String x = f.xLabel() == null ? "" : f.xLabel(), y = f.yLabel() == null ? "" : f.yLabel();
            out.add(switch (f.kind()) {
                case HEATMAP -> {
                    AttentionHeatmap h = AttentionHeatmap.matrix(f.title(), new AttentionMap(rows, cols, a.data()), rowLabels, colLabels, y, x, a.name());
                    for (float v : a.data()) if (v < 0) { h.setDiverging(true); break; }
                    yield Figure.of(name, h);
                }
                case BAR -> MetricCharts.bars(name, f.title(), x, y, colLabels, rowLabels, series(a.data(), rows, cols));
                case LINE -> MetricCharts.lines(name, f.title(), x, y, IntStream.range(0, cols).asDoubleStream().toArray(),
                        rowLabels, series(a.data(), rows, cols));
            });
        }
        return out;
    }

    private static List<String> labels(List<String> given, int n, String prefix) {
        if (given != null && given.size() == n) return given;
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    private static double[][] series(float[] data, int rows, int cols) {
        double[][] v = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[r][c] = data[r * cols + c];
        return v;
    }

    private static String safe(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return t.length() > 40 ? t.substring(0, 40) : t;
    }
}
