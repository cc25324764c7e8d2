package dev.hymba.plugins.host;

import dev.hymba.plugins.api.HymbaPlugin;

import java.nio.file.Path;

/** A plugin the host accepted, with where it came from (null source = class path). */
public record LoadedPlugin(HymbaPlugin plugin, Path source) {
    public String id() { return plugin.info().id(); }

    public String origin() { return source == null ? "class path" : source.getFileName().toString(); }
}
