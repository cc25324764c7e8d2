package dev.hymba.plugins.host;

/** A plugin (or a jar) the host did not load, and why; shown in the Plugins page and on the CLI. */
public record PluginRefusal(String origin, String pluginId, String reason) {
    @Override
    public String toString() { return (pluginId == null ? origin : pluginId + " (" + origin + ")") + ": " + reason; }
}
