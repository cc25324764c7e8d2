package dev.hymba.workbench.cli;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PatchCommandTest {
    static final int L = 8, CHANGED = 2;
    static Path golden;

    @BeforeAll
    static void golden() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        golden = SharedData.golden().get().resolve("tiny-a");
    }

    private static Path write(Path tmp, String name, int[] ids) throws Exception {
        Path f = tmp.resolve(name);
        Npy.writeInt32(f, ids, ids.length);
        return f;
    }

    @Test
    void positionSweepWritesTheEffectGrid(@TempDir Path tmp) throws Exception {
        int[] clean = Arrays.copyOf(Npy.read(golden.resolve("input_ids.npy")).intData(), L), corrupted = clean.clone();
        corrupted[CHANGED] = (clean[CHANGED] + 1) % 512;
        Path out = tmp.resolve("out");
        CliTestSupport.Result r = CliTestSupport.run("patch", "--model", golden.toString(), "--clean-ids", write(tmp, "a.npy", clean).toString(),
                "--corrupted-ids", write(tmp, "b.npy", corrupted).toString(), "--target", "10", "--distractor", "20", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Npy.Array e = Npy.read(out.resolve("effect.npy"));
        assertThat(e.shape()).containsExactly(6, L);
        // Layer 0: restoring the one changed token's embedding restores everything; other rows already agree.
        for (int p = 0; p < L; p++) assertThat(e.floats()[p]).isEqualTo(p == CHANGED ? 1f : 0f);
        assertThat(Files.readString(out.resolve("grid.txt"))).contains("columns: positions [0, 1, 2, 3, 4, 5, 6, 7]").contains("logit[10] - logit[20]");
        assertThat(out.resolve("metric.csv")).exists();
        assertThat(r.out()).contains("largest effect");
    }

    @Test
    void headSweepOnLayersAndInputErrors(@TempDir Path tmp) throws Exception {
        int[] clean = Arrays.copyOf(Npy.read(golden.resolve("input_ids.npy")).intData(), L), corrupted = clean.clone();
        corrupted[CHANGED] = (clean[CHANGED] + 1) % 512;
        Path a = write(tmp, "a.npy", clean), b = write(tmp, "b.npy", corrupted), shortB = write(tmp, "c.npy", Arrays.copyOf(corrupted, 5));
        Path out = tmp.resolve("out");
        CliTestSupport.Result r = CliTestSupport.run("patch", "--model", golden.toString(), "--clean-ids", a.toString(), "--corrupted-ids", b.toString(),
                "--target", "10", "--metric", "nll", "--sweep", "heads", "--layers", "0,5", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Npy.read(out.resolve("effect.npy")).shape()).containsExactly(2, 4);
        r = CliTestSupport.run("patch", "--model", golden.toString(), "--clean-ids", a.toString(), "--corrupted-ids", shortB.toString(), "--target", "1", "--out", out.toString());
        assertThat(r.err()).contains("--clean has 8 tokens but --corrupted has 5");
        r = CliTestSupport.run("patch", "--model", golden.toString(), "--clean-ids", a.toString(), "--target", "1", "--out", out.toString());
        assertThat(r.err()).contains("give exactly one of --corrupted \"...\" or --corrupted-ids FILE.npy");
        r = CliTestSupport.run("patch", "--model", golden.toString(), "--clean-ids", a.toString(), "--corrupted-ids", b.toString(), "--target", "1",
                "--sweep", "diagonal", "--out", out.toString());
        assertThat(r.err()).contains("--sweep diagonal: expected positions or heads");
        r = CliTestSupport.run("patch", "--model", golden.toString(), "--clean-ids", a.toString(), "--corrupted-ids", b.toString(), "--target", "1",
                "--metric", "logit-diff", "--out", out.toString());
        assertThat(r.err()).contains("metric logit-diff needs a distractor");
    }
}
