package dev.hymba.sweeps;

import dev.hymba.core.model.HymbaModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default executor: tasks run on an in-process pool of {@code workers} threads sharing one loaded model.
 *
 * <p>With an output folder, each finished task is written to {@code parts/<task id>.csv} at once (atomically), and
 * {@code plan.txt} records the plan's hash. Starting again on the same folder skips the tasks whose part exists, so a
 * cancelled or crashed sweep resumes without duplicates or gaps; a folder holding another plan's parts is refused.
 * At the end {@code results.csv} (every row) and {@code summary.csv} (per-ablation means) are written.
 */
public final class LocalExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);
    static final String PLAN_FILE = "plan.txt", PARTS = "parts", RESULTS = "results.csv", SUMMARY = "summary.csv";

    /** Counts for a progress bar; runs are ablated runs (baselines not counted). */
    public record Progress(int tasksDone, int tasksTotal, long runsDone, long runsTotal, int tasksResumed) {
        public boolean finished() { return tasksDone == tasksTotal; }
    }

    /** Receives progress after every ablated run, on a worker thread. */
    @FunctionalInterface
    public interface Listener { void progress(Progress p); }

    private LocalExecutor() {}

    /**
     * Starts the sweep and returns at once.
     *
     * @param outDir where parts and results go, or null to keep the result in memory only
     */
    public static SweepRun start(HymbaModel model, SweepPlan plan, int workers, Path outDir, Listener listener) {
        if (workers < 1) throw new IllegalArgumentException("workers: " + workers + " must be >= 1");
        Map<String, List<ResultRow>> resumed = outDir == null ? Map.of() : resume(plan, outDir);
        return new SweepRun(model, plan, workers, outDir, listener, resumed);
    }

    /** Runs the sweep to the end on the calling thread's behalf (blocking). */
    public static ResultTable run(HymbaModel model, SweepPlan plan, int workers, Path outDir, Listener listener)
            throws InterruptedException {
        return start(model, plan, workers, outDir, listener).await();
    }

    private static Map<String, List<ResultRow>> resume(SweepPlan plan, Path outDir) {
        try {
            Files.createDirectories(outDir.resolve(PARTS));
            Path pf = outDir.resolve(PLAN_FILE);
            String mine = "plan " + plan.hash() + "\n";
            if (Files.exists(pf)) {
                String theirs = Files.readString(pf);
                if (!theirs.equals(mine))
                    throw new IllegalStateException(outDir + " holds results of another sweep (" + theirs.strip() + ", this one is plan "
                            + plan.hash() + "): use an empty folder");
            } else {
                Csv.writeAtomically(pf, mine);
            }
            Map<String, List<ResultRow>> done = new HashMap<>();
            for (SweepTask t : plan.tasks()) {
                Path part = partFile(outDir, t);
                if (!Files.isRegularFile(part)) continue;
                List<ResultRow> rows = ResultTable.readCsv(part).rows();
                if (rows.size() == t.size()) done.put(t.id(), rows);
                else LOG.warn("{} has {} rows for a task of {}: running it again", part, rows.size(), t.size());
            }
            if (!done.isEmpty()) LOG.info("resuming: {} of {} tasks already done in {}", done.size(), plan.tasks().size(), outDir);
            return done;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot prepare " + outDir, ex);
        }
    }

    static Path partFile(Path outDir, SweepTask t) { return outDir.resolve(PARTS).resolve(t.id() + ".csv"); }

    /** A running sweep: poll {@link #snapshot()} and {@link #progress()}, {@link #cancel()}, or {@link #await()}. */
    public static final class SweepRun {
        private final SweepPlan plan;
        private final Path outDir;
        private final Queue<ResultRow> rows = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicInteger tasksDone = new AtomicInteger();
        private final AtomicLong runsDone = new AtomicLong();
        private final int resumedTasks;
        private final long runsTotal;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final ExecutorService pool;

        private SweepRun(HymbaModel model, SweepPlan plan, int workers, Path outDir, Listener listener, Map<String, List<ResultRow>> resumed) {
            this.plan = plan;
            this.outDir = outDir;
            this.resumedTasks = resumed.size();
            this.runsTotal = plan.tasks().stream().mapToLong(SweepTask::size).sum();
            List<SweepTask> pending = new ArrayList<>();
            for (SweepTask t : plan.tasks()) {
                List<ResultRow> r = resumed.get(t.id());
                if (r == null) { pending.add(t); continue; }
                rows.addAll(r);
                tasksDone.incrementAndGet();
                runsDone.addAndGet(t.size());
            }
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread th = new Thread(r, "sweep-worker-" + n.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
            AtomicInteger remaining = new AtomicInteger(pending.size());
            if (pending.isEmpty()) finish();
            for (SweepTask t : pending) pool.execute(() -> {
                if (done.isDone()) return;
                try {
                    List<ResultRow> out = TaskRunner.run(model, plan, t, cancelled::get, () -> {
                        runsDone.incrementAndGet();
                        listener.progress(progress());
                    });
                    if (outDir != null) Csv.writeAtomically(partFile(outDir, t), new ResultTable(plan.metricNames(), out).toCsv());
                    rows.addAll(out);
                    tasksDone.incrementAndGet();
                    listener.progress(progress());
                    if (remaining.decrementAndGet() == 0) finish();
                } catch (Throwable ex) {
                    if (cancelled.get()) done.completeExceptionally(new CancellationException("sweep cancelled"));
                    else {
                        LOG.error("task {} failed", t.id(), ex);
                        done.completeExceptionally(new IllegalStateException("task " + t.id() + " (prompt "
                                + plan.prompts().get(t.promptIndex()).id() + ") failed: " + ex.getMessage(), ex));
                    }
                    cancelled.set(true);
                    pool.shutdownNow();
                }
            });
            pool.shutdown();
        }

        private void finish() {
            try {
                ResultTable t = ResultTable.assemble(plan, rows);
                if (outDir != null) {
                    t.writeCsv(outDir.resolve(RESULTS));
                    t.writeSummaryCsv(outDir.resolve(SUMMARY));
                }
                done.complete(null);
            } catch (RuntimeException ex) {
                done.completeExceptionally(ex);
            }
        }

        public SweepPlan plan() { return plan; }

        public Progress progress() {
            return new Progress(tasksDone.get(), plan.tasks().size(), runsDone.get(), runsTotal, resumedTasks);
        }

        /** The rows finished so far, deduplicated, in plan order (safe to call from any thread at any time). */
        public ResultTable snapshot() { return ResultTable.partial(plan, List.copyOf(rows)); }

        /** Stops the sweep: running ablations stop at their next layer; finished parts stay on disk for a resume. */
        public void cancel() {
            cancelled.set(true);
            done.completeExceptionally(new CancellationException("sweep cancelled"));
            pool.shutdownNow();
        }

        public boolean isDone() { return done.isDone(); }

        /**
         * Waits for the end and returns the complete table.
         *
         * @throws CancellationException when cancelled; IllegalStateException when a task failed
         */
        public ResultTable await() throws InterruptedException {
            try {
                done.get();
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof CancellationException c) throw c;
                if (ex.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(ex.getCause());
            } catch (CancellationException ex) {
                throw ex;
            }
            return ResultTable.assemble(plan, rows);
        }
    }
}
