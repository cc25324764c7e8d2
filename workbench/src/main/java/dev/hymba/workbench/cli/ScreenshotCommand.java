package dev.hymba.workbench.cli;

import dev.hymba.workbench.app.Screenshot;
import dev.hymba.workbench.engine.EngineRunService;
import dev.hymba.workbench.run.ProgressSink;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.RunRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./hymba screenshot --view NAME --out FILE.png}: the real main window on one view, rendered without a display. */
@Command(name = "screenshot", mixinStandardHelpOptions = true, description = "Render the workbench window showing one view to a PNG (headless).")
public final class ScreenshotCommand implements Callable<Integer> {
    /** Used when no --text is given and the sample prompt file is absent. */
    static final String FALLBACK_PROMPT = "The old man walked down the road to the little town, and when he reached the church he stopped.";

    @Option(names = "--view", required = true, description = "View id, e.g. model, attention, sinks, ablations.") String view;
    @Option(names = "--out", required = true, description = "PNG file to write.") Path out;
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Option(names = "--text", description = "Prompt. Default: the sample prompt (samples/prompts/default.txt).") String text;
    @Option(names = "--width", defaultValue = "1400") int width;
    @Option(names = "--height", defaultValue = "900") int height;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkWritableFile(out, "--out");
        Path dir = ModelLocation.resolve(model);
        String prompt = text != null ? text : defaultPrompt();
        RunData run;
        try (EngineRunService engine = new EngineRunService()) {
            run = engine.run(new RunRequest(dir.toString(), prompt, "{}", false), new ProgressSink() {
                public void progress(double f, String m) {}
                public boolean cancelled() { return false; }
            });
        }
        Screenshot.render(view, run, out, width, height);
        spec.commandLine().getOut().printf("wrote %s (%dx%d, view %s)%n", out, width, height, view);
        return 0;
    }

    /** The sample prompt the app opens with. */
    static String defaultPrompt() {
        return ModelLocation.bundledSample()
                .map(p -> p.getParent().getParent().resolve("prompts").resolve("default.txt"))
                .filter(Files::isRegularFile)
                .map(p -> {
                    try { return Files.readString(p).strip(); } catch (java.io.IOException e) { return FALLBACK_PROMPT; }
                })
                .orElse(FALLBACK_PROMPT);
    }
}
