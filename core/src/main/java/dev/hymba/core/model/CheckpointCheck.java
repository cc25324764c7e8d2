package dev.hymba.core.model;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.io.CheckpointException;
import dev.hymba.core.io.CheckpointFiles;
import dev.hymba.core.io.CheckpointLayout;
import dev.hymba.core.io.TensorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.*;

/**
 * Checks a checkpoint against the tensors its config requires before any compute, and reports every problem at
 * once: missing tensors, wrong shapes, non-float dtypes (file, tensor, expected vs actual).
 */
public final class CheckpointCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCheck.class);

    private CheckpointCheck() {}

    public static List<String> problems(HymbaConfig c, CheckpointFiles files) {
        List<String> problems = new ArrayList<>();
        Set<String> expectedNames = new HashSet<>();
        for (CheckpointLayout.Expected e : CheckpointLayout.expected(c)) {
            expectedNames.add(e.name());
            Optional<TensorInfo> t = files.info(e.name());
            if (t.isEmpty()) {
                problems.add("missing tensor '" + e.name() + "' (expected shape " + Arrays.toString(e.shape()) + ")");
                continue;
            }
            String file = files.fileOf(e.name()).map(p -> p.getFileName().toString()).orElse("?");
            if (!Arrays.equals(t.get().shape(), e.shape()))
                problems.add(file + ": tensor '" + e.name() + "' has shape " + t.get().shapeString() + ", expected " + Arrays.toString(e.shape()));
            if (!t.get().dtype().isFloatingWeight())
                problems.add(file + ": tensor '" + e.name() + "' has dtype " + t.get().dtype() + ", expected F32, BF16 or F16");
        }
        Optional<TensorInfo> head = files.info(CheckpointLayout.LM_HEAD);
        if (head.isPresent()) {
            expectedNames.add(CheckpointLayout.LM_HEAD);
            long[] want = {c.vocabSize(), c.hiddenSize()};
            if (!Arrays.equals(head.get().shape(), want))
                problems.add("tensor '" + CheckpointLayout.LM_HEAD + "' has shape " + head.get().shapeString() + ", expected " + Arrays.toString(want));
        }
        if (c.numMemoryTokens() == 0 && files.info(CheckpointLayout.META).isPresent())
            problems.add("tensor '" + CheckpointLayout.META + "' is present but config.json says num_memory_tokens = 0");
        for (String n : files.names()) {
            if (!expectedNames.contains(n) && !n.equals(CheckpointLayout.META))
                LOG.warn("{}: ignoring unexpected tensor '{}'", files.dir(), n);
        }
        return problems;
    }

    public static void validate(HymbaConfig c, CheckpointFiles files) {
        List<String> p = problems(c, files);
        if (!p.isEmpty())
            throw new CheckpointException(files.dir() + ": the checkpoint does not match config.json (" + p.size() + " problem" + (p.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", p));
    }
}
