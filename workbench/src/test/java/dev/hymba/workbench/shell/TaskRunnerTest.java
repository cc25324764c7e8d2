package dev.hymba.workbench.shell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRunnerTest {
    /** A stand-in UI thread: tasks queue up and the test drains them, as Platform.runLater would. */
    private final LinkedBlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
    private final TaskRunner runner = new TaskRunner(uiQueue::add);

    @AfterEach
    void close() { runner.close(); }

    private void drainUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Runnable r = uiQueue.poll(50, TimeUnit.MILLISECONDS);
            if (r != null) r.run();
        }
    }

    @Test
    void runsOffTheCallingThreadAndReportsResultAndProgress() throws Exception {
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<String> workerThread = new AtomicReference<>();
        CountDownLatch halfway = new CountDownLatch(1), goOn = new CountDownLatch(1);
        runner.submit("Run", p -> {
            workerThread.set(Thread.currentThread().getName());
            p.progress(0.5, "layer 16 of 32");
            halfway.countDown();
            goOn.await();
            return "trace";
        }, result::set, e -> {});
        assertThat(runner.runningProperty().get()).isTrue();
        halfway.await(5, TimeUnit.SECONDS);
        drainUntil(() -> runner.progressProperty().get() == 0.5);
        assertThat(runner.messageProperty().get()).isEqualTo("layer 16 of 32");
        goOn.countDown();
        drainUntil(() -> result.get() != null);
        assertThat(result.get()).isEqualTo("trace");
        assertThat(workerThread.get()).isEqualTo("workbench-worker").isNotEqualTo(Thread.currentThread().getName());
        assertThat(runner.runningProperty().get()).isFalse();
        assertThat(runner.messageProperty().get()).isEqualTo("Run done");
    }

    @Test
    void cancelStopsAPollingTaskAndSkipsCallbacks() throws Exception {
        AtomicReference<Object> callback = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        runner.submit("Long run", p -> {
            started.countDown();
            while (true) {
                p.checkCancelled();
                Thread.onSpinWait();
            }
        }, callback::set, callback::set);
        started.await(5, TimeUnit.SECONDS);
        runner.cancelCurrent();
        drainUntil(() -> !runner.runningProperty().get());
        assertThat(runner.runningProperty().get()).isFalse();
        assertThat(runner.messageProperty().get()).isEqualTo("Long run cancelled");
        assertThat(callback.get()).isNull();
    }

    @Test
    void failureReachesTheErrorCallbackWithItsMessage() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        runner.submit("Load", p -> { throw new IllegalStateException("config.json: hidden_size missing"); },
                r -> {}, error::set);
        drainUntil(() -> error.get() != null);
        assertThat(error.get()).hasMessage("config.json: hidden_size missing");
        assertThat(runner.messageProperty().get()).isEqualTo("Load failed: config.json: hidden_size missing");
    }

    @Test
    void aNewTaskSupersedesTheRunningOne() throws Exception {
        AtomicReference<String> result = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        TaskRunner.Handle first = runner.submit("A", p -> {
            started.countDown();
            Thread.sleep(10_000);
            return "A";
        }, result::set, e -> {});
        started.await(5, TimeUnit.SECONDS);
        runner.submit("B", p -> "B", result::set, e -> {});
        drainUntil(() -> result.get() != null);
        assertThat(first.isCancelled()).isTrue();
        assertThat(result.get()).isEqualTo("B");
    }
}
