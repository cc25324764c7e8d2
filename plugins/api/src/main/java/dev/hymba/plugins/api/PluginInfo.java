package dev.hymba.plugins.api;

import java.util.Objects;

/**
 * What a plugin says about itself.
 *
 * @param id         stable identifier used on the command line ({@code ./hymba plugin ID}); lower-case, digits, '-'
 * @param apiVersion the {@link PluginApi#VERSION} the plugin was compiled against
 */
public record PluginInfo(String id, String name, String version, String apiVersion, String description) {
    public PluginInfo {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[a-z0-9][a-z0-9-]*")) throw new IllegalArgumentException("plugin id '" + id + "' must be lower-case letters, digits and '-'");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
        description = description == null ? "" : description;
    }
}
