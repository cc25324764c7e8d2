package dev.hymba.workbench.shell;

import dev.hymba.workbench.run.ProgressSink;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one background task at a time on a worker thread and mirrors its progress into properties the status bar
 * binds to. A new task cancels the one before it (the latest ablation toggle wins). Property updates and callbacks
 * go through the UI executor (Platform::runLater in the app, a direct executor in tests), so the FX thread only
 * ever does bookkeeping.
 */
public final class TaskRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final java.util.concurrent.Executor ui;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "workbench-worker");
        t.setDaemon(true);
        return t;
    });
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Ready");
    private volatile Handle current;

    public TaskRunner(java.util.concurrent.Executor ui) { this.ui = ui; }

    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }

    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }

    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }

    /** A submitted task; cancel() asks it to stop (it polls) and interrupts its thread. */
    public final class Handle {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile Future<?> future;

        public void cancel() {
            if (cancelled.compareAndSet(false, true) && future != null) future.cancel(true);
        }

        public boolean isCancelled() { return cancelled.get(); }

        public boolean isDone() { return future != null && future.isDone(); }
    }

    /**
     * Starts a task. onSuccess / onError run on the UI executor; a cancelled task calls neither and reports
     * "Cancelled" in the status message.
     */
    public <T> Handle submit(String title, BackgroundTask<T> task, Consumer<T> onSuccess, Consumer<Throwable> onError) {
        if (current != null) current.cancel();
        Handle h = new Handle();
        current = h;
        running.set(true);
        progress.set(-1);
        message.set(title + "\u2026");
        ProgressSink sink = new ProgressSink() {
            @Override
            public void progress(double fraction, String msg) {
                if (h.isCancelled()) return;
                ui.execute(() -> {
                    if (current != h) return;
                    progress.set(fraction);
                    message.set(msg == null ? title : msg);
                });
            }

            @Override
            public boolean cancelled() { return h.isCancelled(); }
        };
        h.future = worker.submit(() -> {
            try {
                T result = task.run(sink);
                if (h.isCancelled()) throw new CancellationException();
                ui.execute(() -> finish(h, title + " done", () -> onSuccess.accept(result)));
            } catch (CancellationException | InterruptedException e) {
                ui.execute(() -> finish(h, title + " cancelled", () -> {}));
            } catch (Throwable e) {
                if (h.isCancelled()) {
                    ui.execute(() -> finish(h, title + " cancelled", () -> {}));
                    return;
                }
                LOG.warn("{} failed", title, e);
                ui.execute(() -> finish(h, title + " failed: " + e.getMessage(), () -> onError.accept(e)));
            }
        });
        return h;
    }

    private void finish(Handle h, String status, Runnable callback) {
        if (current == h) {
            running.set(false);
            progress.set(0);
            message.set(status);
            current = null;
        }
        if (!h.isCancelled()) callback.run();
    }

    /** Cancels whatever runs now (the status bar's Cancel button). */
    public void cancelCurrent() {
        if (current != null) current.cancel();
    }

    @Override
    public void close() { worker.shutdownNow(); }
}
