package dev.hymba.plugins.host;

import dev.hymba.plugins.api.AnalysisContext;
import dev.hymba.plugins.api.AnalysisPlugin;
import dev.hymba.plugins.api.AnalysisResult;

import java.time.Duration;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an analysis plugin in isolation: on its own daemon thread, with a time limit and cancellation. A plugin that
 * throws, hangs, ignores interruption or returns bad data yields an outcome; the caller's thread is never blocked
 * longer than the limit, and a stuck thread is abandoned (it is a daemon and cannot keep the JVM alive).
 */
public final class PluginRunner {
    /** Grace period after an interrupt before a stubborn plugin thread is abandoned. */
    private static final Duration GRACE = Duration.ofMillis(500);

    private PluginRunner() {}

    /** A running invocation: wait for it or cancel it from another thread (e.g. the GUI's Cancel button). */
    public static final class Invocation {
        private final String pluginId;
        private final Thread thread;
        private final CompletableFuture<AnalysisResult> future = new CompletableFuture<>();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final long start = System.nanoTime();
        private final Duration limit;

        private Invocation(String pluginId, Duration limit, AnalysisPlugin plugin, AnalysisContext ctx) {
            this.pluginId = pluginId;
            this.limit = limit;
            AnalysisContext guarded = new CancellableContext(ctx, cancelled);
            this.thread = Thread.ofPlatform().daemon().name("plugin-" + pluginId).unstarted(() -> {
                try {
                    future.complete(plugin.analyze(guarded));
                } catch (Throwable t) { // isolation: anything a plugin throws becomes an outcome
                    future.completeExceptionally(t);
                }
            });
        }

        /** Asks the plugin to stop; whoever awaits the outcome gets Cancelled at once, even if the plugin ignores it. */
        public void cancel() {
            cancelled.set(true);
            future.cancel(false);
            thread.interrupt();
        }

        public boolean isCancelled() { return cancelled.get(); }

        /** Blocks until the plugin finishes, fails, is cancelled or runs out of time. */
        public PluginOutcome await() {
            try {
                AnalysisResult r = future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
                if (cancelled.get()) return new PluginOutcome.Cancelled(pluginId, elapsed());
                String problem = ResultValidator.problem(r);
                return problem == null ? new PluginOutcome.Success(pluginId, elapsed(), r) : new PluginOutcome.InvalidResult(pluginId, elapsed(), problem);
            } catch (TimeoutException e) {
                thread.interrupt();
                waitBriefly();
                return new PluginOutcome.TimedOut(pluginId, elapsed(), limit);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cancelled.get() || cause instanceof CancellationException || cause instanceof InterruptedException)
                    return new PluginOutcome.Cancelled(pluginId, elapsed());
                return new PluginOutcome.Failed(pluginId, elapsed(), cause);
            } catch (InterruptedException e) {
                cancel();
                Thread.currentThread().interrupt();
                return new PluginOutcome.Cancelled(pluginId, elapsed());
            } catch (CancellationException e) {
                return new PluginOutcome.Cancelled(pluginId, elapsed());
            }
        }

        private void waitBriefly() {
            try { future.get(GRACE.toMillis(), TimeUnit.MILLISECONDS); } catch (Exception ignored) { /* abandoned if still running */ }
        }

        private Duration elapsed() { return Duration.ofNanos(System.nanoTime() - start); }
    }

    /** Starts the plugin and returns at once. */
    public static Invocation start(AnalysisPlugin plugin, AnalysisContext context, Duration limit) {
        Invocation inv = new Invocation(plugin.info().id(), limit, plugin, context);
        inv.thread.start();
        return inv;
    }

    /** Runs the plugin and waits for its outcome. */
    public static PluginOutcome run(AnalysisPlugin plugin, AnalysisContext context, Duration limit) {
        return start(plugin, context, limit).await();
    }

    /** Passes everything through but reports cancellation set by the host. */
    private record CancellableContext(AnalysisContext delegate, AtomicBoolean cancelled) implements AnalysisContext {
        public java.util.Map<String, String> parameters() { return delegate.parameters(); }
        public <T> java.util.Optional<T> service(Class<T> type) { return delegate.service(type); }
        public void progress(double fraction, String message) { delegate.progress(fraction, message); }
        public boolean isCancelled() { return cancelled.get() || delegate.isCancelled(); }
    }
}
