package dev.hymba.workbench.views.model;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.run.TokenInfo;
import dev.hymba.workbench.run.TokenKind;
import dev.hymba.workbench.views.View;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

import java.io.File;
import java.util.List;
import java.util.function.Consumer;

/** Model folder, prompt, run button, model summary, layer map and token strip. */
public final class ModelView implements View {
    private final ModelViewModel vm;
    private final VBox root = new VBox(8);
    private final LayerMapCanvas layerMap = new LayerMapCanvas();
    private final FlowPane tokenStrip = new FlowPane(3, 3);

    public ModelView(ModelViewModel vm, ObservableList<String> recentModels, Consumer<String> modelOpened) {
        this.vm = vm;
        TextField model = new TextField();
        model.setId("model-path");
        model.textProperty().bindBidirectional(vm.session().modelProperty());
        HBox.setHgrow(model, Priority.ALWAYS);
        Button open = new Button("Open model\u2026");
        open.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Open a Hymba model folder");
            File dir = dc.showDialog(root.getScene().getWindow());
            if (dir != null) {
                model.setText(dir.getPath());
                modelOpened.accept(dir.getPath());
            }
        });
        ComboBox<String> recent = new ComboBox<>(recentModels);
        recent.setPromptText("Recent models");
        recent.setOnAction(e -> { if (recent.getValue() != null) model.setText(recent.getValue()); });
        TextArea prompt = new TextArea();
        prompt.setId("prompt");
        prompt.setPromptText("Type a prompt");
        prompt.setPrefRowCount(3);
        prompt.setWrapText(true);
        prompt.textProperty().bindBidirectional(vm.session().promptProperty());
        CheckBox chat = new CheckBox("Chat template (Instruct models)");
        chat.selectedProperty().bindBidirectional(vm.session().chatTemplateProperty());
        Button run = new Button("Run");
        run.setId("run");
        run.setDefaultButton(true);
        run.disableProperty().bind(vm.session().tasks().runningProperty());
        run.setOnAction(e -> vm.run());
        Label summary = new Label();
        summary.setId("model-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(vm.summaryProperty());
        ScrollPane mapScroll = new ScrollPane(layerMap);
        mapScroll.setFitToHeight(true);
        ScrollPane tokens = new ScrollPane(tokenStrip);
        tokens.setFitToWidth(true);
        VBox.setVgrow(tokens, Priority.ALWAYS);
        root.getChildren().addAll(new HBox(6, new Label("Model"), model, open, recent), prompt, new HBox(12, run, chat),
                summary, new Label("Layer map"), mapScroll, new Label("Tokens (meta, BOS, prompt)"), tokens);
        root.setPadding(new Insets(10));
        ListChangeListener<Object> redraw = c -> refresh();
        vm.layers().addListener(redraw);
        vm.tokens().addListener(redraw);
        refresh();
    }

    private void refresh() {
        layerMap.draw(vm.layers(), vm.arrows());
        // Thousands of meta tokens are not useful to read one by one: show at most 16 of them, then the prompt.
        List<TokenInfo> ts = vm.tokens();
        tokenStrip.getChildren().clear();
        int metaShown = 0;
        for (TokenInfo t : ts) {
            if (t.kind() == TokenKind.META && metaShown++ >= 16) continue;
            Label l = new Label(t.label());
            l.setTooltip(new Tooltip("position " + t.position() + (t.id() >= 0 ? ", id " + t.id() : ", meta token")));
            String bg = switch (t.kind()) { case META -> "#FFE0B2"; case BOS -> "#FFCDD2"; case TEXT -> "#ECEFF1"; };
            l.setStyle("-fx-background-color: " + bg + "; -fx-padding: 2 4 2 4; -fx-font-family: monospace;");
            tokenStrip.getChildren().add(l);
        }
    }

    @Override public String id() { return "model"; }

    @Override public String title() { return "Model & prompt"; }

    @Override public Node node() { return root; }

    @Override public List<Figure> figures() { return List.of(); }
}
