package dev.hymba.workbench.shell;

import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/** ControlsFX notifications in the corner of the main window; every message is also logged. */
public final class FxNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(FxNotifier.class);
    private final Supplier<Window> owner;

    public FxNotifier(Supplier<Window> owner) { this.owner = owner; }

    @Override
    public void info(String title, String text) {
        LOG.info("{}: {}", title, text);
        show(title, text, false);
    }

    @Override
    public void error(String title, String text) {
        LOG.warn("{}: {}", title, text);
        show(title, text, true);
    }

    private void show(String title, String text, boolean error) {
        Window w = owner.get();
        if (w == null || !w.isShowing()) return; // no window yet (start-up) or headless rendering: the log has it
        try {
            Notifications n = Notifications.create().title(title).text(text).owner(w)
                    .hideAfter(Duration.seconds(error ? 10 : 4));
            if (error) n.showError(); else n.showInformation();
        } catch (RuntimeException e) {
            LOG.warn("Could not show notification '{}'", title, e);
        }
    }
}
