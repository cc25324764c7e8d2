package dev.hymba.sweeps.spark;

import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.sweeps.*;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Spark executor against the local one on tiny-a, in local[2,3]: two executor threads, and a task may fail up
 * to 3 times before the job fails (so an injected failure is retried).
 */
class SparkSweepJobTest {
    private static SparkSession spark;
    private static Path model;
    @TempDir static Path tmp;

    @BeforeAll
    static void start() {
        model = SharedData.golden().map(g -> g.resolve("tiny-a")).orElse(null);
        assumeTrue(model != null && Files.isRegularFile(model.resolve("model.safetensors")), "golden tiny-a not found: skipped");
        spark = SparkSession.builder().master("local[2,3]").appName("hymba-sweep-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static Path sweep(String name) throws Exception { return sweep(tmp.resolve(name), model); }

    /** A sweep over {@code model} written into dir: 2 prompts × 5 ablations (3 families) in batches of 2, 6 tasks. */
    static Path sweep(Path folder, Path model) throws Exception {
        Path dir = Files.createDirectories(folder);
        Files.writeString(dir.resolve("prompts.jsonl"), """
                {"id": "a", "ids": [1, 17, 42, 99], "target_ids": [300]}
                {"id": "b", "ids": [1, 5, 6, 7, 8]}
                """);
        Path spec = dir.resolve("sweep.json");
        Files.writeString(spec, """
                {"version": 1, "model": "%s", "prompts": "prompts.jsonl", "batch": 2, "metrics": ["loss_delta", "kl"],
                 "grid": [{"family": "head", "layers": 3, "heads": [0, 2]}, {"family": "ssm_block", "layers": 0, "blocks": 1},
                          {"family": "meta", "modes": ["zeroed", "dropped"]}]}
                """.formatted(model));
        return spec;
    }

    private static ResultTable local(Path spec) throws Exception {
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), HymbaModel.load(model).config(), model);
        return LocalExecutor.run(WorkerCache.model(model.toString()), plan, 1, null, p -> {});
    }

    @Test
    void sparkAndLocalExecutorsProduceIdenticalTables() throws Exception {
        Path spec = sweep("same");
        Path out = tmp.resolve("same-out");
        SparkSweepJob.Result r = SparkSweepJob.run(spark, spec.toString(), out.toString());
        ResultTable expected = local(spec);
        assertThat(r.plan().tasks()).hasSize(6);
        assertThat(r.table().rows()).hasSize(10);
        assertThat(r.table()).isEqualTo(expected);
        // the files: Parquet partitioned by family, the CSV table and summary equal the local executor's
        assertThat(Files.isDirectory(out.resolve("results/family=head"))).isTrue();
        assertThat(Files.isDirectory(out.resolve("results/family=ssm_block"))).isTrue();
        assertThat(Files.isDirectory(out.resolve("results/family=meta"))).isTrue();
        assertThat(ResultTable.readCsv(out.resolve("results.csv"))).isEqualTo(expected);
        assertThat(Files.readString(out.resolve("summary.csv"))).isEqualTo(expected.summaryCsv());
        assertThat(WorkerCache.loadedModels()).isEqualTo(1); // six tasks, one model load per JVM
    }

    @Test
    void anInjectedTaskFailureIsRetriedIntoACompleteDuplicateFreeTable() throws Exception {
        Path spec = sweep("fault");
        Path out = tmp.resolve("fault-out");
        int before = SparkSweepJob.injectedFailures();
        spark.conf().set(SparkSweepJob.FAIL_ONCE_CONF, "p00000-a00002,p00001-a00000");
        SparkSweepJob.Result r;
        try {
            r = SparkSweepJob.run(spark, spec.toString(), out.toString());
        } finally {
            spark.conf().unset(SparkSweepJob.FAIL_ONCE_CONF);
        }
        assertThat(SparkSweepJob.injectedFailures() - before).isEqualTo(2);
        assertThat(r.table()).isEqualTo(local(spec));
        long stored = spark.read().parquet(r.resultsDir()).count();
        assertThat(stored).isEqualTo(10); // the failed attempts committed nothing
    }

    @Test
    void readingDropsDuplicatesAndRefusesGaps() throws Exception {
        Path spec = sweep("dedupe");
        Path out = tmp.resolve("dedupe-out");
        SparkSweepJob.Result r = SparkSweepJob.run(spark, spec.toString(), out.toString());
        String dir = r.resultsDir();
        // a stray copy of some rows (as a non-transactional store could leave after a rerun) is dropped on read
        spark.read().parquet(dir).limit(3).write().mode(SaveMode.Append).partitionBy("family").parquet(dir);
        assertThat(spark.read().parquet(dir).count()).isEqualTo(13);
        assertThat(SparkSweepJob.readResults(spark, dir, r.plan())).isEqualTo(r.table());
        // a lost partition is a gap: refused, with the missing keys
        List<Path> meta = Files.list(Path.of(dir, "family=meta")).filter(p -> p.toString().endsWith(".parquet")).toList();
        for (Path p : meta) Files.delete(p);
        assertThatThrownBy(() -> SparkSweepJob.readResults(spark, dir, r.plan()))
                .isInstanceOf(ResultTable.IncompleteException.class).hasMessageStartingWith("4 of 10 result rows are missing");
    }

    @Test
    void argumentsAreChecked() {
        assertThat(SparkSweepJob.parseArgs(new String[]{"--spec", "s.json", "--out", "o"})).containsEntry("--spec", "s.json").containsEntry("--out", "o");
        assertThatThrownBy(() -> SparkSweepJob.parseArgs(new String[]{"--spec", "s.json"})).hasMessageStartingWith("--out is required");
        assertThatThrownBy(() -> SparkSweepJob.parseArgs(new String[]{"--sepc", "s"})).hasMessageStartingWith("unknown argument --sepc");
        assertThat(SparkSweepJob.resolve("hdfs://nn/sweeps/s.json", "prompts.jsonl")).isEqualTo("hdfs://nn/sweeps/prompts.jsonl");
        assertThat(SparkSweepJob.resolve("hdfs://nn/sweeps/s.json", "/abs/p.jsonl")).isEqualTo("/abs/p.jsonl");
        assertThat(SparkSweepJob.resolve("/x/s.json", "s3a://b/m")).isEqualTo("s3a://b/m");
    }
}
