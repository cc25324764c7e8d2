package dev.hymba.workbench.views.model;

import dev.hymba.workbench.app.WorkbenchSession;
import dev.hymba.workbench.run.LayerInfo;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.TokenInfo;
import dev.hymba.workbench.run.TokenKind;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/** Model summary, layer map and token strip of the current run; the run button delegates to the session. */
public final class ModelViewModel {
    /** One row of the layer map. */
    public record LayerRow(int index, boolean global, String attention, String kv) {}

    /** A KV-sharing arrow: the consumer layer reads the producer layer's K/V. */
    public record KvArrow(int producer, int consumer) {}

    private final WorkbenchSession session;
    private final ObservableList<LayerRow> layers = FXCollections.observableArrayList();
    private final ObservableList<KvArrow> arrows = FXCollections.observableArrayList();
    private final ObservableList<TokenInfo> tokens = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("No run yet: open a model, type a prompt, press Run.");

    public ModelViewModel(WorkbenchSession session) {
        this.session = session;
        session.runProperty().addListener((o, a, run) -> update(run));
        update(session.runProperty().get());
    }

    public WorkbenchSession session() { return session; }

    public ObservableList<LayerRow> layers() { return layers; }

    public ObservableList<KvArrow> arrows() { return arrows; }

    public ObservableList<TokenInfo> tokens() { return tokens; }

    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }

    public void run() { session.runPrompt(); }

    private void update(RunData run) {
        if (run == null) return;
        List<LayerRow> rows = new ArrayList<>();
        List<KvArrow> as = new ArrayList<>();
        int global = 0;
        for (LayerInfo l : run.layers()) {
            if (l.global()) global++;
            String kv = l.kvConsumer() ? "KV from layer " + l.kvProducer() : "own KV";
            rows.add(new LayerRow(l.index(), l.global(), l.global() ? "global" : "local (window " + l.window() + ")", kv));
            if (l.kvConsumer()) as.add(new KvArrow(l.kvProducer(), l.index()));
        }
        layers.setAll(rows);
        arrows.setAll(as);
        tokens.setAll(run.tokens());
        long text = run.tokens().stream().filter(t -> t.kind() == TokenKind.TEXT).count();
        summary.set(run.provenance().model() + ": " + run.layers().size() + " layers (" + global + " global), "
                + run.attentionHeads() + " attention heads; " + run.length() + " positions = " + run.metaCount()
                + " meta + " + (run.bosPosition() >= 0 ? "BOS + " : "") + text + " prompt tokens; ablation "
                + run.provenance().ablationSpec());
    }
}
