package dev.hymba.workbench.app;

import dev.hymba.workbench.run.RunService;
import javafx.application.Application;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Opens the workbench window, or explains in one line why it cannot (no display). */
public final class GuiLauncher {
    private GuiLauncher() {}

    /** Returns the exit code: 0 after the window closed, 2 when the GUI could not start. */
    public static int launch(RunService engineOrNull, PrintStream err) {
        String why = missingDisplay(System.getenv(), System.getProperty("os.name", ""), System.getProperty("glass.platform"));
        if (why != null) {
            err.println("hymba: cannot open the workbench: " + why
                    + ". Use a command instead (./hymba --help), e.g. ./hymba screenshot, which renders headless.");
            return 2;
        }
        WorkbenchApp.engine = engineOrNull;
        try {
            Application.launch(WorkbenchApp.class);
            return 0;
        } catch (Throwable t) { // a toolkit failure must not end in a stack trace
            Throwable root = t;
            while (root.getCause() != null) root = root.getCause();
            err.println("hymba: cannot open the workbench: " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
            return 2;
        }
    }

    /** Why no window can open here, or null when a display is available. */
    static String missingDisplay(Map<String, String> env, String os, String glassPlatform) {
        if ("Monocle".equals(glassPlatform)) return null;
        String o = os.toLowerCase(Locale.ROOT);
        if (o.contains("win") || o.contains("mac")) return null;
        boolean x11 = env.getOrDefault("DISPLAY", "").length() > 0;
        boolean wayland = env.getOrDefault("WAYLAND_DISPLAY", "").length() > 0;
        return x11 || wayland ? null : "no display (DISPLAY and WAYLAND_DISPLAY are not set)";
    }
}
