package dev.hymba.sweeps.spark;

import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.sweeps.SweepPlan;
import dev.hymba.sweeps.SweepSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one JVM (driver or executor) keeps across tasks: the model, loaded once per location (its safetensors are
 * memory-mapped while the weights are read), and the plan, rebuilt once per plan hash. A model on a Hadoop file
 * system (hdfs://, s3a://, ...) is first copied to a local temporary folder, once per JVM.
 */
public final class WorkerCache {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCache.class);
    private static final Map<String, HymbaModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, Path> LOCAL = new ConcurrentHashMap<>();
    private static final Map<String, SweepPlan> PLANS = new ConcurrentHashMap<>();

    private WorkerCache() {}

    public static HymbaModel model(String location) {
        return MODELS.computeIfAbsent(location, loc -> {
            LOG.info("loading model {} in this JVM", loc);
            return HymbaModel.load(localDir(loc));
        });
    }

    /** The plan of {@code job}, rebuilt here exactly as the driver built it (checked through its hash). */
    public static SweepPlan plan(PlanSource job) {
        return PLANS.computeIfAbsent(job.planHash(), h -> {
            SweepPlan p = job.build(localDir(job.modelLocation()));
            if (!p.hash().equals(h))
                throw new IllegalStateException("this worker rebuilt plan " + p.hash() + " but the driver planned " + h
                        + ": the model or prompts differ between machines");
            return p;
        });
    }

    /** Loaded models in this JVM (tests check that tasks reuse one). */
    public static int loadedModels() { return MODELS.size(); }

    /** A local folder holding the model: the folder itself for local or file: locations, else a copy. */
    public static Path localDir(String location) {
        return LOCAL.computeIfAbsent(location, loc -> {
            try {
                org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(loc);
                FileSystem fs = hp.getFileSystem(new Configuration());
                if (fs instanceof LocalFileSystem || "file".equals(fs.getScheme())) return Path.of(hp.toUri().getPath());
                Path dir = Files.createTempDirectory("hymba-model-");
                for (FileStatus st : fs.listStatus(hp)) {
                    if (!st.isFile()) continue;
                    fs.copyToLocalFile(false, st.getPath(), new org.apache.hadoop.fs.Path(dir.resolve(st.getPath().getName()).toString()), true);
                }
                LOG.info("copied model {} to {}", loc, dir);
                return dir;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read the model at " + loc, ex);
            }
        });
    }

    /**
     * Everything a worker needs to rebuild the plan, small enough to broadcast.
     *
     * @param modelLocation absolute path or URI
     */
    public record PlanSource(String specJson, String specSource, String modelLocation, String promptsJsonl, String planHash)
            implements java.io.Serializable {
        SweepPlan build(Path modelDir) {
            SweepSpec spec = SweepSpec.parse(specJson, specSource);
            var config = HymbaConfigParser.read(modelDir.resolve("config.json"));
            if (!Files.isRegularFile(modelDir.resolve(HymbaTokenizer.FILE))) return SweepPlan.create(spec, config, promptsJsonl, Optional.empty());
            try (HymbaTokenizer tok = HymbaTokenizer.load(modelDir)) {
                return SweepPlan.create(spec, config, promptsJsonl, Optional.of(tok));
            }
        }
    }
}
