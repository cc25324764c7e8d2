package dev.hymba.workbench.views.attention;

import dev.hymba.workbench.app.WorkbenchSession;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.TestSessions;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching head at T = 1,152 in the real attention view (software rendering, headless): prints the time from the
 * selection change until the FX thread has drawn the frame. A measurement for the report, not a timed assertion.
 */
@ExtendWith(ApplicationExtension.class)
class AttentionRedrawUiTest {
    private static final InMemoryRunData RUN = SyntheticRuns.run(128, 1023, 2, 3, 1024, 5); // T = 128 + 1 + 1023 = 1152
    private AttentionView view;

    @Start
    void start(Stage stage) {
        WorkbenchSession session = TestSessions.showing(RUN);
        view = new AttentionView(new AttentionViewModel(session.runProperty()));
        stage.setScene(new Scene((javafx.scene.Parent) view.node(), 1200, 900));
        stage.show();
    }

    @Test
    void measureHeadSwitchAt1152(FxRobot robot) {
        assertThat(RUN.length()).isEqualTo(1152);
        List<Double> onFxThread = new ArrayList<>(), chart = new ArrayList<>();
        // All switches in one FX-thread task: the chart canvas repaints synchronously when the chart changes, so the
        // time per switch is selection -> view model -> chart update -> canvas drawn. The first 10 warm up the JIT.
        robot.interact(() -> {
            for (int i = 0; i < 40; i++) {
                int l = i % 2, h = (i / 2) % 3;
                long t0 = System.nanoTime();
                view.headProperty().set(h);
                view.layerProperty().set(l);
                onFxThread.add((System.nanoTime() - t0) / 1e6);
                chart.add(view.lastRedrawNanos() / 1e6);
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.heatmap().map()).isSameAs(RUN.attention(1, 1)); // the last selection is shown
        System.out.printf("VIEW REDRAW T=1152, 1200x900 window, Monocle sw, after warm-up: switch (layer+head) on the FX thread"
                + " median %.1f ms, max %.1f ms; of which chart update + canvas draw median %.1f ms%n",
                median(onFxThread), onFxThread.subList(10, 40).stream().mapToDouble(x -> x).max().orElseThrow(), median(chart));
    }

    private static double median(List<Double> xs) {
        double[] a = xs.subList(10, xs.size()).stream().mapToDouble(x -> x).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
