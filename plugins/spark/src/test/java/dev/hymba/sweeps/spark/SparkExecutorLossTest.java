package dev.hymba.sweeps.spark;

import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.sweeps.*;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 7: an executor process that dies mid-job still yields a complete, duplicate-free result. Spark's
 * {@code local-cluster[2,1,1024]} master runs a standalone master and two workers inside this JVM; each worker launches
 * its executor as a separate JVM. No Spark distribution is needed: the workers' launcher is pointed at the module
 * directory as SPARK_HOME ({@code SPARK_TESTING=1} and {@code SPARK_SCALA_VERSION} stop it from looking for a
 * distribution's jars), and the executors get this test JVM's class path and JVM flags (plus C1-only and the serial
 * GC, to start quickly on small machines; the engine's results do not depend on the JIT, see VectorMath). The first
 * attempt of the last sweep task halts its executor JVM after handing a row to the Parquet writer (killing it last
 * keeps the run short: the survivor is warm, and the job need not wait for the replacement executor); Spark reruns the
 * task, and the committed table must equal the local executor's bit for bit, with no row twice.
 */
class SparkExecutorLossTest {
    @TempDir Path tmp;

    @Test
    void anExecutorJvmThatDiesMidTaskStillYieldsACompleteDuplicateFreeTable() throws Exception {
        Path model = SharedData.golden().map(g -> g.resolve("tiny-a")).orElse(null);
        assumeTrue(model != null && Files.isRegularFile(model.resolve("model.safetensors")), "golden tiny-a not found: skipped");
        String flags = System.getProperty("hymba.test.executorJavaOptions", "");
        assumeTrue(!flags.isBlank(), "run through Maven (surefire passes the executors' JVM flags)");

        Path spec = SparkSweepJobTest.sweep(tmp.resolve("sweep"), model);

        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("hymba-executor-loss")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.task.maxFailures", "3")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", flags + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .config("spark.executorEnv.SPARK_TESTING", "1")
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                // Spark gives executor JVMs OMP_NUM_THREADS = spark.task.cpus (SPARK-41188); OpenBLAS would then sum
                // in another order than in this JVM and the last bits would differ from the local executor's
                .config("spark.executorEnv.OMP_NUM_THREADS", Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"),
                        Integer.toString(Runtime.getRuntime().availableProcessors())))
                .config(SparkSweepJob.KILL_EXECUTOR_ONCE_CONF, "p00001-a00004")
                .getOrCreate();
        List<String> removed = new CopyOnWriteArrayList<>(), lost = new CopyOnWriteArrayList<>();
        Path out = tmp.resolve("out");
        SparkSweepJob.Result r;
        long stored;
        try {
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) { removed.add(e.executorId() + ": " + e.reason()); }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd e) {
                    if (e.reason() instanceof ExecutorLostFailure f) lost.add(f.execId() + ": " + f.toErrorString());
                }
            });
            r = SparkSweepJob.run(spark, spec.toString(), out.toString());
            stored = spark.read().parquet(r.resultsDir()).count();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.stop(); // also stops the executor that replaced the dead one, before the reference run below
        }
        assertThat(lost).as("a task attempt was lost with its executor").isNotEmpty();
        assertThat(String.join("\n", lost)).contains("exited").contains("code " + SparkSweepJob.KILLED_EXIT_CODE);
        assertThat(removed).as("the executor was removed").isNotEmpty();
        assertThat(stored).isEqualTo(10); // every row once: the dead attempt committed nothing, its rerun added each row once
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), HymbaModel.load(model).config(), model);
        ResultTable expected = LocalExecutor.run(WorkerCache.model(model.toString()), plan, 1, null, p -> {});
        assertThat(r.table()).isEqualTo(expected);
        assertThat(ResultTable.readCsv(out.resolve("results.csv"))).isEqualTo(expected);
    }
}
