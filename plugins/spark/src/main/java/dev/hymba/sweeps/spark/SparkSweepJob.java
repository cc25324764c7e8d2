package dev.hymba.sweeps.spark;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.sweeps.*;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.*;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The sweep as a Spark job: one Spark task per sweep task (one prompt × a batch of ablations), each executor JVM
 * loading the model once ({@link WorkerCache}). Rows go through Spark's output commit protocol into
 * {@code OUT/results/} as Parquet partitioned by family, so a failed, preempted or speculative task attempt leaves no
 * rows behind and its rerun adds none twice; the driver then reads the table back, drops any duplicate
 * (prompt, ablation) key, checks that every key of the plan is present, and writes {@code OUT/summary.csv} and
 * {@code OUT/results.csv}.
 *
 * <pre>spark-submit --class dev.hymba.sweeps.spark.SparkSweepJob hymba-sweeps-spark-VERSION-job.jar --spec URI --out URI</pre>
 */
public final class SparkSweepJob {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSweepJob.class);
    /** Test hook: sweep task ids whose first attempt fails after computing its rows (as a preempted task would). */
    public static final String FAIL_ONCE_CONF = "spark.hymba.test.failFirstAttempt";
    private static final AtomicInteger INJECTED = new AtomicInteger();
    /**
     * Test hook: sweep task ids whose first attempt kills its executor JVM ({@link Runtime#halt} with
     * {@link #KILLED_EXIT_CODE}) after handing one row to the Parquet writer, as a crashed or OOM-killed executor
     * would. Refused on the driver (local mode), where it would kill the application instead.
     */
    public static final String KILL_EXECUTOR_ONCE_CONF = "spark.hymba.test.killExecutorInFirstAttempt";
    public static final int KILLED_EXIT_CODE = 86;

    private SparkSweepJob() {}

    /** What a run produced: the verified table and where it went. */
    public record Result(SweepPlan plan, ResultTable table, String resultsDir) {}

    public static void main(String[] args) {
        Map<String, String> a = parseArgs(args);
        SparkSession spark = SparkSession.builder().appName("hymba-sweep").getOrCreate();
        try {
            Result r = run(spark, a.get("--spec"), a.get("--out"));
            LOG.info("sweep plan {}: {} rows ({} prompts × {} ablations) in {}", r.plan().hash(), r.table().rows().size(),
                    r.plan().prompts().size(), r.plan().ablations().size(), r.resultsDir());
        } finally {
            spark.stop();
        }
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--spec") && !args[i].equals("--out"))
                throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: --spec URI --out URI");
            if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
            m.put(args[i], args[++i]);
        }
        for (String k : List.of("--spec", "--out")) if (!m.containsKey(k)) throw new IllegalArgumentException(k + " is required; usage: --spec URI --out URI");
        return m;
    }

    public static Result run(SparkSession spark, String specUri, String outUri) {
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        SweepSpec spec = SweepSpec.parse(readText(specUri, hconf), specUri);
        String model = resolve(specUri, spec.model());
        String prompts = readText(resolve(specUri, spec.prompts()), hconf);
        WorkerCache.PlanSource draft = new WorkerCache.PlanSource(spec.json(), specUri, model, prompts, "");
        SweepPlan plan = draft.build(WorkerCache.localDir(model));
        WorkerCache.PlanSource source = new WorkerCache.PlanSource(spec.json(), specUri, model, prompts, plan.hash());
        LOG.info("sweep plan {}: {} prompts × {} ablations = {} runs in {} tasks", plan.hash(), plan.prompts().size(),
                plan.ablations().size(), plan.expectedRows(), plan.tasks().size());

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<WorkerCache.PlanSource> bc = jsc.broadcast(source);
        Set<String> failOnce = Set.of(spark.conf().get(FAIL_ONCE_CONF, "").split(","));
        Set<String> killOnce = Set.of(spark.conf().get(KILL_EXECUTOR_ONCE_CONF, "").split(","));
        List<Integer> taskIdx = IntStream.range(0, plan.tasks().size()).boxed().toList();
        JavaRDD<Row> rows = jsc.parallelize(taskIdx, Math.max(1, taskIdx.size())).flatMap(i -> {
            List<Row> out = runTask(bc.value(), i, failOnce);
            String id = WorkerCache.plan(bc.value()).tasks().get(i).id();
            TaskContext ctx = TaskContext.get();
            return killOnce.contains(id) && ctx != null && ctx.attemptNumber() == 0 ? dieAfterFirstRow(out, id) : out.iterator();
        });

        String resultsDir = outUri.replaceAll("/+$", "") + "/results";
        spark.createDataFrame(rows, schema(plan)).write().mode(SaveMode.Overwrite).partitionBy("family").parquet(resultsDir);
        ResultTable table = readResults(spark, resultsDir, plan);
        writeText(outUri.replaceAll("/+$", "") + "/summary.csv", table.summaryCsv(), hconf);
        writeText(outUri.replaceAll("/+$", "") + "/results.csv", table.toCsv(), hconf);
        return new Result(plan, table, resultsDir);
    }

    private static List<Row> runTask(WorkerCache.PlanSource src, int index, Set<String> failOnce) {
        SweepPlan plan = WorkerCache.plan(src);
        HymbaModel model = WorkerCache.model(src.modelLocation());
        SweepTask task = plan.tasks().get(index);
        TaskContext ctx = TaskContext.get();
        List<Row> out = new ArrayList<>();
        for (ResultRow r : TaskRunner.run(model, plan, task, () -> ctx != null && ctx.isInterrupted(), () -> {})) out.add(toRow(r));
        if (failOnce.contains(task.id()) && ctx != null && ctx.attemptNumber() == 0) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure of the first attempt of sweep task " + task.id());
        }
        return out;
    }

    /** The rows, but the executor JVM halts when the writer asks for the second one ({@link #KILL_EXECUTOR_ONCE_CONF}). */
    private static Iterator<Row> dieAfterFirstRow(List<Row> rows, String taskId) {
        String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        if ("driver".equals(executor))
            throw new IllegalStateException(KILL_EXECUTOR_ONCE_CONF + " needs executors in their own JVMs (e.g. local-cluster); here it would kill the driver");
        Iterator<Row> it = rows.iterator();
        return new Iterator<>() {
            private int given;

            public boolean hasNext() {
                if (given == 1) {
                    LOG.warn("test hook: halting executor {} in the first attempt of sweep task {}", executor, taskId);
                    Runtime.getRuntime().halt(KILLED_EXIT_CODE);
                }
                return it.hasNext();
            }

            public Row next() {
                given++;
                return it.next();
            }
        };
    }

    /** How many failures {@link #FAIL_ONCE_CONF} injected in this JVM (tests run executors in-process). */
    public static int injectedFailures() { return INJECTED.get(); }

    static StructType schema(SweepPlan plan) {
        List<StructField> f = new ArrayList<>(List.of(
                DataTypes.createStructField("prompt_index", DataTypes.IntegerType, false),
                DataTypes.createStructField("prompt_id", DataTypes.StringType, false),
                DataTypes.createStructField("ablation_index", DataTypes.IntegerType, false),
                DataTypes.createStructField("ablation", DataTypes.StringType, false),
                DataTypes.createStructField("family", DataTypes.StringType, false),
                DataTypes.createStructField("layer", DataTypes.IntegerType, false),
                DataTypes.createStructField("unit", DataTypes.IntegerType, false)));
        for (String m : plan.metricNames()) f.add(DataTypes.createStructField(m, DataTypes.DoubleType, false));
        return DataTypes.createStructType(f);
    }

    private static Row toRow(ResultRow r) {
        Object[] v = new Object[7 + r.values().length];
        v[0] = r.promptIndex(); v[1] = r.promptId(); v[2] = r.ablationIndex(); v[3] = r.ablation(); v[4] = r.family();
        v[5] = r.layer(); v[6] = r.unit();
        double[] x = r.values();
        for (int i = 0; i < x.length; i++) v[7 + i] = x[i];
        return RowFactory.create(v);
    }

    /**
     * Reads {@code OUT/results} back, drops duplicate keys and checks completeness against the plan.
     *
     * @throws ResultTable.IncompleteException when a (prompt, ablation) of the plan has no row
     */
    public static ResultTable readResults(SparkSession spark, String resultsDir, SweepPlan plan) {
        Dataset<Row> df = spark.read().parquet(resultsDir);
        List<ResultRow> rows = new ArrayList<>();
        List<String> metrics = plan.metricNames();
        for (Row r : df.collectAsList()) {
            double[] v = new double[metrics.size()];
            for (int i = 0; i < v.length; i++) v[i] = r.getDouble(r.fieldIndex(metrics.get(i)));
            rows.add(new ResultRow(r.getInt(r.fieldIndex("prompt_index")), r.getString(r.fieldIndex("prompt_id")),
                    r.getInt(r.fieldIndex("ablation_index")), r.getString(r.fieldIndex("ablation")), r.getString(r.fieldIndex("family")),
                    r.getInt(r.fieldIndex("layer")), r.getInt(r.fieldIndex("unit")), v));
        }
        return ResultTable.assemble(plan, rows);
    }

    /** {@code rel} resolved against the folder of {@code base} unless it is absolute or a URI. */
    static String resolve(String base, String rel) {
        if (rel.startsWith("/") || rel.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) return rel;
        org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(base).getParent();
        return parent == null ? rel : new org.apache.hadoop.fs.Path(parent, rel).toString();
    }

    static String readText(String uri, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = p.getFileSystem(conf);
            try (var in = fs.open(p)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + uri, ex);
        }
    }

    static void writeText(String uri, String text, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = p.getFileSystem(conf);
            try (FSDataOutputStream out = fs.create(p, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + uri, ex);
        }
    }
}
