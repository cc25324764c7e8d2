package dev.hymba.plugins.host;

import dev.hymba.plugins.api.AnalysisContext;

import java.util.*;
import java.util.function.BiConsumer;

/** A plain {@link AnalysisContext}: a map of services, parameters and a progress sink (CLI, tests, sweeps). */
public final class SimpleContext implements AnalysisContext {
    private final Map<String, String> parameters;
    private final Map<Class<?>, Object> services = new HashMap<>();
    private final BiConsumer<Double, String> progress;
    private volatile boolean cancelled;

    public SimpleContext(Map<String, String> parameters, BiConsumer<Double, String> progress) {
        this.parameters = Map.copyOf(parameters);
        this.progress = progress == null ? (f, m) -> {} : progress;
    }

    public <T> SimpleContext with(Class<T> type, T service) {
        services.put(type, service);
        return this;
    }

    public void cancel() { cancelled = true; }

    @Override public Map<String, String> parameters() { return parameters; }

    @Override public <T> Optional<T> service(Class<T> type) { return Optional.ofNullable(type.cast(services.get(type))); }

    @Override public void progress(double fraction, String message) { progress.accept(fraction, message); }

    @Override public boolean isCancelled() { return cancelled; }
}
