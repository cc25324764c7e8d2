package dev.hymba.workbench.run;

/** What a background task reports to while it runs; {@link #cancelled()} is polled by the task. */
public interface ProgressSink {
    /** Fraction done in [0, 1], or negative for "unknown". */
    void progress(double fraction, String message);

    boolean cancelled();

    /** Throws {@link java.util.concurrent.CancellationException} when the user cancelled. */
    default void checkCancelled() {
        if (cancelled() || Thread.currentThread().isInterrupted())
            throw new java.util.concurrent.CancellationException("cancelled");
    }
}
