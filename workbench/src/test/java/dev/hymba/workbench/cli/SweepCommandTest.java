package dev.hymba.workbench.cli;

import dev.hymba.core.io.SharedData;
import dev.hymba.sweeps.ResultTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SweepCommandTest {
    private static Path spec(Path tmp, String model) throws Exception {
        Files.writeString(tmp.resolve("prompts.jsonl"), "{\"id\":\"a\",\"ids\":[1,17,42,99],\"target_ids\":[300]}\n");
        Path s = tmp.resolve("sweep.json");
        Files.writeString(s, """
                {"version": 1, "model": "%s", "prompts": "prompts.jsonl", "batch": 3,
                 "grid": [{"family": "head", "layers": 0}, {"family": "meta", "modes": ["dropped"]}]}
                """.formatted(model));
        return s;
    }

    @Test
    void localSweepWritesTheTableAndReportsThroughput(@TempDir Path tmp) throws Exception {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        Path s = spec(tmp, SharedData.golden().get().resolve("tiny-a").toString());
        Path out = tmp.resolve("out");
        CliTestSupport.Result r = CliTestSupport.run("sweep", "--spec", s.toString(), "--out", out.toString(), "--workers", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 prompts × 5 ablations = 5 ablated runs in 2 tasks, 2 worker(s)").contains("runs/min with 2 worker(s)");
        ResultTable t = ResultTable.readCsv(out.resolve("results.csv"));
        assertThat(t.rows()).extracting(row -> row.ablation()).containsExactly("head:0:0:zero:pre_norm", "head:0:1:zero:pre_norm",
                "head:0:2:zero:pre_norm", "head:0:3:zero:pre_norm", "meta:dropped");
        assertThat(t.metrics()).containsExactly("loss_delta", "kl");
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(6);
        // a rerun on the finished folder runs nothing and keeps the table
        CliTestSupport.Result again = CliTestSupport.run("sweep", "--spec", s.toString(), "--out", out.toString());
        assertThat(again.out()).contains("0 ablated runs").contains("(5 runs resumed from parts)");
        assertThat(ResultTable.readCsv(out.resolve("results.csv"))).isEqualTo(t);
    }

    @Test
    void sparkExecutorPrintsTheSubmitLine(@TempDir Path tmp) throws Exception {
        Path s = spec(tmp, "hdfs://nn:8020/models/hymba");
        CliTestSupport.Result r = CliTestSupport.run("sweep", "--spec", s.toString(), "--executor", "spark", "--out", "hdfs://nn:8020/sweeps/out");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("spark-submit --class dev.hymba.sweeps.spark.SparkSweepJob")
                .contains("hymba-sweeps-spark-0.1.0-SNAPSHOT-job.jar --spec " + s.toAbsolutePath())
                .contains("spark.executor.extraJavaOptions=--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector");
    }

    @Test
    void badSpecsAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Path s = tmp.resolve("bad.json");
        Files.writeString(s, "{\"version\":1,\"model\":\"m\",\"prompts\":\"p\",\"grid\":[{\"family\":\"head\",\"heads\":\"x\"}]}");
        CliTestSupport.Result r = CliTestSupport.run("sweep", "--spec", s.toString(), "--out", tmp.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("hymba sweep: " + s + ": grid[0].heads: \"x\" is not \"all\", an integer, a list or a range like \"0-3\"");
        Path remote = spec(tmp, "hdfs://nn/m");
        CliTestSupport.Result r2 = CliTestSupport.run("sweep", "--spec", remote.toString(), "--out", tmp.resolve("o2").toString());
        assertThat(r2.exitCode()).isEqualTo(2);
        assertThat(r2.err()).contains("is a Hadoop URI; only the Spark executor reads those");
    }
}
