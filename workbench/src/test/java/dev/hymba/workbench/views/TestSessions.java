package dev.hymba.workbench.views;

import dev.hymba.workbench.app.WorkbenchSession;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.RunService;
import dev.hymba.workbench.shell.Notifier;
import dev.hymba.workbench.shell.TaskRunner;

import java.util.ArrayList;
import java.util.List;

/** Sessions for view-model tests: callbacks run directly, notifications are collected. */
public final class TestSessions {
    private TestSessions() {}

    public static final class Notes implements Notifier {
        public final List<String> messages = new ArrayList<>();

        @Override public void info(String title, String text) { messages.add("info: " + title + ": " + text); }

        @Override public void error(String title, String text) { messages.add("error: " + title + ": " + text); }
    }

    public static WorkbenchSession showing(RunData data) {
        RunService none = (r, p) -> { throw new IllegalStateException("no engine in this test"); };
        WorkbenchSession s = new WorkbenchSession(none, new TaskRunner(Runnable::run), new Notes());
        s.show(data);
        return s;
    }
}
