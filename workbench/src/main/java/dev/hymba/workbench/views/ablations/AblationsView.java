package dev.hymba.workbench.views.ablations;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.views.View;
import dev.hymba.workbench.views.ablations.AblationState.Attention;
import dev.hymba.workbench.views.ablations.AblationState.Branch;
import dev.hymba.workbench.views.ablations.AblationState.Fusion;
import dev.hymba.workbench.views.ablations.AblationState.LayerAblation;
import dev.hymba.core.ablation.MetaMode;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Toggles per layer (attention global/local, fused or stacked, branch off), heads off per layer, meta-token mode;
 * the spec as JSON text (editable, applied with "Apply text"), undo / redo / reset. Every change re-runs in the
 * background through the view model's apply callback.
 */
public final class AblationsView implements View {
    private final AblationsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final List<ComboBox<Attention>> attention = new ArrayList<>();
    private final List<ComboBox<Fusion>> fusion = new ArrayList<>();
    private final List<ComboBox<Branch>> branch = new ArrayList<>();
    private final List<CheckComboBox<Integer>> heads = new ArrayList<>();
    private final ComboBox<MetaMode> meta = new ComboBox<>();
    private final TextArea spec = new TextArea();
    private final Label error = new Label();
    private final Label description = new Label();
    private boolean syncing;

    public AblationsView(AblationsViewModel vm) {
        this.vm = vm;
        GridPane grid = new GridPane(8, 4);
        grid.setPadding(new Insets(8));
        grid.addRow(0, new Label("Layer"), new Label("Attention"), new Label("Fused / stacked"), new Label("Branches"), new Label("Heads off"));
        for (int l = 0; l < vm.layerCount(); l++) {
            int layer = l;
            ComboBox<Attention> a = combo(Attention.class, "attention-" + l);
            ComboBox<Fusion> f = combo(Fusion.class, "fusion-" + l);
            ComboBox<Branch> b = combo(Branch.class, "branch-" + l);
            CheckComboBox<Integer> h = new CheckComboBox<>();
            h.getItems().setAll(IntStream.range(0, vm.headCount()).boxed().toList());
            h.setId("heads-" + l);
            a.setOnAction(e -> editLayer(layer));
            f.setOnAction(e -> editLayer(layer));
            b.setOnAction(e -> editLayer(layer));
            h.getCheckModel().getCheckedItems().addListener((ListChangeListener<Integer>) c -> editHeads(layer));
            attention.add(a);
            fusion.add(f);
            branch.add(b);
            heads.add(h);
            grid.addRow(l + 1, new Label(Integer.toString(l)), a, f, b, h);
        }
        meta.getItems().setAll(MetaMode.values());
        dev.hymba.workbench.views.EnumLabels.apply(meta, MetaMode.class);
        meta.setId("meta-mode");
        meta.setOnAction(e -> { if (!syncing && meta.getValue() != null) vm.setMeta(meta.getValue()); });
        Button undo = new Button("Undo"), redo = new Button("Redo"), reset = new Button("Reset"), applyText = new Button("Apply text");
        undo.setId("undo");
        redo.setId("redo");
        undo.disableProperty().bind(vm.canUndoProperty().not());
        redo.disableProperty().bind(vm.canRedoProperty().not());
        undo.setOnAction(e -> vm.undo());
        redo.setOnAction(e -> vm.redo());
        reset.setOnAction(e -> vm.reset());
        applyText.setOnAction(e -> {
            try {
                vm.load(spec.getText());
                error.setText("");
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage()); // the spec stays as typed so the user can fix it
            }
        });
        spec.setId("spec");
        spec.setPrefColumnCount(40);
        spec.setStyle("-fx-font-family: monospace;");
        error.setStyle("-fx-text-fill: #B00020;");
        error.setWrapText(true);
        VBox right = new VBox(6, new HBox(6, new Label("Meta tokens"), meta), new HBox(6, undo, redo, reset, applyText),
                new Label("Ablation spec (engine JSON, version 1)"), spec, error, description,
                new Label("Stacked: the branches run one after the other with the trained weights (attention-first: "
                        + "x1 = x + A(x), x2 = x1 + S(x1); SSM-first mirrors it)."));
        right.setPadding(new Insets(8));
        right.setPrefWidth(380);
        ((Label) right.getChildren().getLast()).setWrapText(true);
        root.setCenter(new ScrollPane(grid));
        root.setRight(right);
        vm.stateProperty().addListener((o, x, s) -> sync(s));
        sync(vm.state());
    }

    private static <E extends Enum<E>> ComboBox<E> combo(Class<E> type, String id) {
        ComboBox<E> c = new ComboBox<>();
        c.getItems().setAll(type.getEnumConstants());
        dev.hymba.workbench.views.EnumLabels.apply(c, type);
        c.setId(id);
        return c;
    }

    private void editLayer(int l) {
        if (syncing) return;
        LayerAblation old = vm.state().layer(l);
        vm.setLayer(l, new LayerAblation(attention.get(l).getValue(), old.window(), fusion.get(l).getValue(), branch.get(l).getValue()));
    }

    private void editHeads(int l) {
        if (syncing) return;
        List<Integer> checked = List.copyOf(heads.get(l).getCheckModel().getCheckedItems());
        AblationState s = vm.state();
        for (int h = 0; h < vm.headCount(); h++) s = s.withHead(l, h, checked.contains(h));
        vm.load(s.toJson()); // one undo step for the whole change
    }

    /** Shows a state in the controls without feeding the changes back as edits. */
    private void sync(AblationState s) {
        syncing = true;
        try {
            for (int l = 0; l < vm.layerCount(); l++) {
                LayerAblation a = s.layer(l);
                attention.get(l).setValue(a.attention());
                fusion.get(l).setValue(a.fusion());
                branch.get(l).setValue(a.branch());
                var cm = heads.get(l).getCheckModel();
                for (int h = 0; h < vm.headCount(); h++) {
                    boolean off = s.headsOff().contains(new AblationState.HeadRef(l, h));
                    if (off != cm.isChecked(h)) { if (off) cm.check(h); else cm.clearCheck(h); }
                }
            }
            meta.setValue(s.meta());
            spec.setText(s.toJson());
            description.setText(String.join("\n", s.describe()));
        } finally {
            syncing = false;
        }
    }

    public AblationsViewModel viewModel() { return vm; }

    @Override public String id() { return "ablations"; }

    @Override public String title() { return "Ablations"; }

    @Override public Node node() { return root; }

    @Override public List<Figure> figures() { return List.of(); }

    @Override public Map<String, String> settings() { return Map.of("spec", vm.specTextProperty().get()); }
}
