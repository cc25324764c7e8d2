package dev.hymba.plugins.api;

/**
 * Common supertype of every contribution. Implementations are found with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/dev.hymba.plugins.api.HymbaPlugin} of your jar and drop the jar into the
 * workbench's plugins folder (or put it on the class path). A public no-argument constructor is required.
 */
public interface HymbaPlugin {
    PluginInfo info();
}
