package dev.hymba.workbench.views.ablations;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The ablations panel: every edit produces a new {@link AblationState}, is pushed on the undo stack, shown as JSON
 * text, and handed to the apply callback (the session re-runs in the background).
 */
public final class AblationsViewModel {
    private final int layerCount, headCount, localWindow;
    private final Consumer<String> apply;
    private final ReadOnlyObjectWrapper<AblationState> state = new ReadOnlyObjectWrapper<>(AblationState.BASELINE);
    private final ReadOnlyStringWrapper specText = new ReadOnlyStringWrapper(AblationState.BASELINE.toJson());
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(false);
    private final Deque<AblationState> undo = new ArrayDeque<>(), redo = new ArrayDeque<>();

    /**
     * @param localWindow the sliding window a layer made local gets (the model's own window)
     * @param apply       receives the spec JSON after every change (the session re-runs with it)
     */
    public AblationsViewModel(int layerCount, int headCount, int localWindow, Consumer<String> apply) {
        this.layerCount = layerCount;
        this.headCount = headCount;
        this.localWindow = localWindow;
        this.apply = apply;
    }

    public int layerCount() { return layerCount; }

    public int headCount() { return headCount; }

    public int localWindow() { return localWindow; }

    public ReadOnlyObjectProperty<AblationState> stateProperty() { return state.getReadOnlyProperty(); }

    public ReadOnlyStringProperty specTextProperty() { return specText.getReadOnlyProperty(); }

    public ReadOnlyBooleanProperty canUndoProperty() { return canUndo.getReadOnlyProperty(); }

    public ReadOnlyBooleanProperty canRedoProperty() { return canRedo.getReadOnlyProperty(); }

    public AblationState state() { return state.get(); }

    public void setLayer(int layer, AblationState.LayerAblation a) { edit(state().withLayer(layer, a, localWindow)); }

    public void setHeadOff(int layer, int head, boolean off) { edit(state().withHead(layer, head, off)); }

    public void setMeta(dev.hymba.core.ablation.MetaMode m) { edit(state().withMeta(m)); }

    public void reset() { edit(AblationState.BASELINE); }

    /** Loads a spec typed or opened by the user; a bad spec throws with the field named and changes nothing. */
    public void load(String json) { edit(AblationState.fromJson(json, layerCount, headCount)); }

    public void undo() {
        if (undo.isEmpty()) return;
        redo.push(state());
        show(undo.pop());
    }

    public void redo() {
        if (redo.isEmpty()) return;
        undo.push(state());
        show(redo.pop());
    }

    private void edit(AblationState next) {
        if (next.equals(state())) return;
        undo.push(state());
        redo.clear();
        show(next);
    }

    private void show(AblationState s) {
        state.set(s);
        specText.set(s.toJson());
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
        apply.accept(specText.get());
    }
}
