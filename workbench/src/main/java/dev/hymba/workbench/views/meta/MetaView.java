package dev.hymba.workbench.views.meta;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.views.View;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.jfree.chart.fx.ChartViewer;

import java.util.List;
import java.util.Optional;

/** Meta-token attention: layer x meta-token map and the bars of one layer. */
public final class MetaView implements View {
    private final ReadOnlyObjectProperty<RunData> run;
    private final BorderPane root = new BorderPane();
    private final ChartViewer map = new ChartViewer(null), bars = new ChartViewer(null);
    private final Spinner<Integer> layer = new Spinner<>(0, 0, 0);
    private final Label status = new Label();
    private List<Figure> figures = List.of();
    private boolean dirty = true;

    public MetaView(ReadOnlyObjectProperty<RunData> run) {
        this.run = run;
        layer.setPrefWidth(80);
        SplitPane split = new SplitPane(map, bars);
        split.setOrientation(Orientation.VERTICAL);
        HBox top = new HBox(8, new Label("Layer"), layer, status);
        top.setPadding(new Insets(6));
        root.setTop(top);
        root.setCenter(split);
        layer.valueProperty().addListener((o, a, b) -> invalidate());
        run.addListener((o, a, b) -> invalidate());
        root.sceneProperty().addListener((o, a, b) -> { if (b != null && dirty) update(); });
        invalidate();
    }

    /** Rebuilds only while on screen; hidden views rebuild when shown or exported. */
    private void invalidate() {
        dirty = true;
        if (root.getScene() != null) update();
    }

    private void update() {
        dirty = false;
        RunData r = run.get();
        if (r == null) return;
        ((SpinnerValueFactory.IntegerSpinnerValueFactory) layer.getValueFactory()).setMax(r.layers().size() - 1);
        Optional<float[][]> v = MetaViewModel.receivedPerLayer(r);
        if (v.isEmpty()) {
            status.setText("This run has no meta tokens or no meta-token statistics.");
            figures = List.of();
            return;
        }
        status.setText("");
        Figure f1 = MetaViewModel.mapFigure(r, v.get()), f2 = MetaViewModel.layerFigure(v.get(), layer.getValue());
        map.setChart(f1.chart());
        bars.setChart(f2.chart());
        figures = List.of(f1, f2);
    }

    @Override public String id() { return "meta"; }

    @Override public String title() { return "Meta tokens"; }

    @Override public Node node() { return root; }

    @Override
    public List<Figure> figures() {
        if (dirty) update();
        return figures;
    }
}
