package dev.hymba.workbench.testing;

import dev.hymba.plugins.api.AnalysisContext;
import dev.hymba.plugins.api.PluginApi;
import dev.hymba.plugins.api.PluginInfo;
import dev.hymba.plugins.api.ViewPlugin;
import dev.hymba.plugins.bundled.PromptTokens;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** A test view plugin (registered for the test class path only): one dark label per prompt token. */
public final class PromptStripViewPlugin implements ViewPlugin {
    public static final String ID = "test-prompt-strip";

    @Override
    public PluginInfo info() { return new PluginInfo(ID, "Prompt strip (test view)", "1.0", PluginApi.VERSION, "one label per token"); }

    @Override
    public javafx.scene.Node createView(AnalysisContext context) {
        PromptTokens p = context.require(PromptTokens.class);
        HBox box = new HBox(4);
        for (String piece : p.labels()) {
            Label l = new Label(piece);
            l.setStyle("-fx-background-color: #0072B2; -fx-text-fill: white; -fx-padding: 6;");
            box.getChildren().add(l);
        }
        box.setStyle("-fx-background-color: white;");
        return box;
    }
}
