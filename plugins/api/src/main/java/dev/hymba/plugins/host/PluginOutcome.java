package dev.hymba.plugins.host;

import dev.hymba.plugins.api.AnalysisResult;

import java.time.Duration;

/** How one plugin invocation ended. Every kind except {@link Success} carries a message for the user. */
public sealed interface PluginOutcome {
    String pluginId();

    Duration elapsed();

    /** One line for a panel or stderr. */
    String summary();

    record Success(String pluginId, Duration elapsed, AnalysisResult result) implements PluginOutcome {
        public String summary() { return pluginId + ": done in " + elapsed.toMillis() + " ms"; }
    }

    record Failed(String pluginId, Duration elapsed, Throwable error) implements PluginOutcome {
        public String summary() { return pluginId + " failed: " + error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()); }
    }

    record TimedOut(String pluginId, Duration elapsed, Duration limit) implements PluginOutcome {
        public String summary() { return pluginId + " did not finish within " + limit.toSeconds() + " s and was stopped"; }
    }

    record Cancelled(String pluginId, Duration elapsed) implements PluginOutcome {
        public String summary() { return pluginId + ": cancelled"; }
    }

    record InvalidResult(String pluginId, Duration elapsed, String problem) implements PluginOutcome {
        public String summary() { return pluginId + " returned bad data: " + problem; }
    }
}
