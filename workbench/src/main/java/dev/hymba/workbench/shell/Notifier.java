package dev.hymba.workbench.shell;

/** Tells the user that something finished or failed (ControlsFX Notifications in the app, a list in tests). */
public interface Notifier {
    void info(String title, String text);

    void error(String title, String text);
}
