package dev.hymba.plugins.api;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * What an analysis can see. The engine objects are exposed through {@link #service(Class)} so that the API stays
 * small and stable: the workbench provides e.g. the loaded model, the tokenizer and the current run.
 */
public interface AnalysisContext {
    /** Parameter values (defaults filled in). */
    Map<String, String> parameters();

    default String parameter(String name) {
        String v = parameters().get(name);
        if (v == null) throw new IllegalArgumentException("missing parameter '" + name + "'");
        return v;
    }

    /** An engine object of the given type, if the host has one (model, tokenizer, trace, prompt ids...). */
    <T> Optional<T> service(Class<T> type);

    default <T> T require(Class<T> type) {
        return service(type).orElseThrow(() -> new IllegalStateException("this analysis needs a " + type.getSimpleName() + ", which the host does not provide"));
    }

    /** Reports progress in [0, 1] with a short message. */
    void progress(double fraction, String message);

    boolean isCancelled();

    default void checkCancelled() {
        if (isCancelled() || Thread.currentThread().isInterrupted()) throw new CancellationException("cancelled");
    }
}
