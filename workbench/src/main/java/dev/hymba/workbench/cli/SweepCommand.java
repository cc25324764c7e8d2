package dev.hymba.workbench.cli;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.sweeps.LocalExecutor;
import dev.hymba.sweeps.ResultTable;
import dev.hymba.sweeps.SweepPlan;
import dev.hymba.sweeps.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./hymba sweep --spec FILE --executor local|spark --out DIR [--workers N]}: runs an ablation sweep in process,
 * or prints the spark-submit line for the Spark job (Spark is not on the desktop class path).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run an ablation sweep (prompts × ablation grid → results.csv, summary.csv) locally, or print the spark-submit line.")
public final class SweepCommand implements Callable<Integer> {
    public static final String SPARK_CLASS = "dev.hymba.sweeps.spark.SparkSweepJob";
    public static final String ENGINE_FLAGS = "--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dorg.bytedeco.javacpp.maxbytes=12G";

    enum Executor { local, spark }

    @Option(names = "--spec", required = true, description = "Sweep spec (JSON).") Path specFile;
    @Option(names = "--executor", defaultValue = "local", description = "local (default) or spark.") Executor executor;
    @Option(names = "--out", required = true, description = "Output folder; a rerun on the same folder resumes.") Path out;
    @Option(names = "--workers", defaultValue = "1", description = "Local worker threads (default 1).") int workers;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(specFile)) throw new IllegalArgumentException("--spec " + specFile + ": no such file");
        SweepSpec spec = SweepSpec.read(specFile);
        PrintWriter o = cmd.commandLine().getOut();
        if (executor == Executor.spark) {
            o.println("Spark is not on this application's class path. Build the job jar and submit it:");
            o.println("  mvn -B -pl plugins/spark -am package -DskipTests");
            o.println("  " + sparkSubmitLine(jarPath(), specFile.toAbsolutePath().toString(), out.toAbsolutePath().toString()));
            o.println("(spec and out may be hdfs://, s3a:// or file: URIs every executor can read; set --master for your cluster)");
            return 0;
        }
        if (workers < 1) throw new IllegalArgumentException("--workers: " + workers + " must be >= 1");
        OutputPaths.checkWritableDir(out, "--out");
        Path dir = spec.modelDir();
        try (HymbaModel m = HymbaModel.load(dir)) {
            SweepPlan plan = SweepPlan.local(spec, m.config(), dir);
            o.printf("sweep plan %s: %d prompts × %d ablations = %d ablated runs in %d tasks, %d worker(s)%n", plan.hash(),
                    plan.prompts().size(), plan.ablations().size(), plan.expectedRows(), plan.tasks().size(), workers);
            o.flush();
            long t0 = System.nanoTime();
            long[] lastPrinted = {0};
            LocalExecutor.SweepRun run = LocalExecutor.start(m, plan, workers, out, p -> {
                synchronized (lastPrinted) {
                    long now = System.nanoTime();
                    if (p.finished() || now - lastPrinted[0] > 2_000_000_000L) {
                        lastPrinted[0] = now;
                        o.printf("  %d/%d tasks, %d/%d runs%n", p.tasksDone(), p.tasksTotal(), p.runsDone(), p.runsTotal());
                        o.flush();
                    }
                }
            });
            long resumedRuns = run.progress().runsDone();
            ResultTable t = run.await();
            double s = (System.nanoTime() - t0) / 1e9;
            long ran = plan.expectedRows() - resumedRuns;
            o.printf(Locale.ROOT, "%d rows -> %s (+ summary.csv); %d ablated runs in %.1f s = %.0f runs/min with %d worker(s)%s%n",
                    t.rows().size(), out.resolve("results.csv"), ran, s, ran / s * 60, workers,
                    resumedRuns > 0 ? " (" + resumedRuns + " runs resumed from parts)" : "");
        }
        return 0;
    }

    /** The job jar in this checkout (built by {@code mvn -pl plugins/spark -am package}). */
    static Path jarPath() {
        String home = System.getProperty("hymba.home", ".");
        return Path.of(home, "plugins", "spark", "target", "hymba-sweeps-spark-0.1.0-SNAPSHOT-job.jar").toAbsolutePath().normalize();
    }

    /** The documented spark-submit line (plugins/spark/README.md). */
    public static String sparkSubmitLine(Path jar, String spec, String out) {
        return "spark-submit --class " + SPARK_CLASS + " --master yarn"
                + " --conf spark.executor.cores=1 --conf spark.task.maxFailures=4"
                + " --conf \"spark.driver.extraJavaOptions=" + ENGINE_FLAGS + "\""
                + " --conf \"spark.executor.extraJavaOptions=" + ENGINE_FLAGS + "\""
                + " " + jar + " --spec " + spec + " --out " + out;
    }
}
