package dev.hymba.workbench.views.attention;

import dev.hymba.workbench.charts.ColorScale;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.HeadMetric;
import dev.hymba.workbench.run.LayerInfo;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.TokenInfo;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State of the attention view: which (layer, head), colour scale, overview metric, hover text. Maps come from the
 * run on demand and a few are cached, so flipping between heads does not recompute them.
 */
public final class AttentionViewModel {
    private static final int CACHE = 8;

    private final ReadOnlyObjectProperty<RunData> run;
    private final IntegerProperty layer = new SimpleIntegerProperty(0);
    private final IntegerProperty head = new SimpleIntegerProperty(0);
    private final ObjectProperty<ColorScale.Kind> scale = new SimpleObjectProperty<>(ColorScale.Kind.LINEAR);
    private final ObjectProperty<HeadMetric> metric = new SimpleObjectProperty<>(HeadMetric.META_MASS);
    private final StringProperty hover = new SimpleStringProperty("");
    private final Map<Long, AttentionMap> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, AttentionMap> e) { return size() > CACHE; }
    };
    private RunData cachedFor;

    public AttentionViewModel(ReadOnlyObjectProperty<RunData> run) {
        this.run = run;
        run.addListener((o, a, b) -> clampSelection());
    }

    public ReadOnlyObjectProperty<RunData> runProperty() { return run; }

    public IntegerProperty layerProperty() { return layer; }

    public IntegerProperty headProperty() { return head; }

    public ObjectProperty<ColorScale.Kind> scaleProperty() { return scale; }

    public ObjectProperty<HeadMetric> metricProperty() { return metric; }

    public StringProperty hoverProperty() { return hover; }

    public boolean hasRun() { return run.get() != null; }

    public int layerCount() { return hasRun() ? run.get().layers().size() : 0; }

    public int headCount() { return hasRun() ? run.get().attentionHeads() : 0; }

    /** Selects a (layer, head), clamped into range. */
    public void select(int l, int h) {
        layer.set(Math.clamp(l, 0, Math.max(0, layerCount() - 1)));
        head.set(Math.clamp(h, 0, Math.max(0, headCount() - 1)));
    }

    public AttentionMap map(int l, int h) {
        RunData r = requireRun();
        if (r != cachedFor) {
            cache.clear();
            cachedFor = r;
        }
        return cache.computeIfAbsent(((long) l << 32) | h, k -> r.attention(l, h));
    }

    public AttentionMap currentMap() { return map(layer.get(), head.get()); }

    public String title() {
        LayerInfo l = requireRun().layers().get(layer.get());
        String mode = l.global() ? "global" : "local, window " + l.window();
        String kv = l.kvConsumer() ? ", KV from layer " + l.kvProducer() : "";
        return "Layer " + l.index() + ", head " + head.get() + " (" + mode + kv + ")";
    }

    public HeatmapRegions regions() {
        RunData r = requireRun();
        LayerInfo l = r.layers().get(layer.get());
        return new HeatmapRegions(r.metaCount(), r.bosPosition(), l.global() ? 0 : l.window());
    }

    public List<String> tokenLabels() { return requireRun().tokens().stream().map(TokenInfo::label).toList(); }

    /** The overview grid: metric value for every [layer][head]. */
    public double[][] overview() {
        RunData r = requireRun();
        double[][] v = new double[layerCount()][headCount()];
        for (int l = 0; l < v.length; l++)
            for (int h = 0; h < v[l].length; h++) v[l][h] = r.headMetric(metric.get(), l, h);
        return v;
    }

    public Map<String, String> settings() {
        return Map.of("layer", Integer.toString(layer.get()), "head", Integer.toString(head.get()),
                "colorScale", scale.get().name().toLowerCase(), "overviewMetric", metric.get().name());
    }

    /** Restores settings saved in a workspace; unknown or malformed entries are ignored (the workspace stays usable). */
    public void applySettings(Map<String, String> s) {
        try {
            if (s.containsKey("colorScale")) scale.set(ColorScale.Kind.valueOf(s.get("colorScale").toUpperCase()));
            if (s.containsKey("overviewMetric")) metric.set(HeadMetric.valueOf(s.get("overviewMetric")));
        } catch (IllegalArgumentException ignored) {
            // keep the current value
        }
        select(parse(s.get("layer"), layer.get()), parse(s.get("head"), head.get()));
    }

    private static int parse(String v, int fallback) {
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void clampSelection() { select(layer.get(), head.get()); }

    private RunData requireRun() {
        RunData r = run.get();
        if (r == null) throw new IllegalStateException("no run loaded");
        return r;
    }
}
