package dev.hymba.workbench.export;

import dev.hymba.workbench.run.RunProvenance;

import java.util.List;
import java.util.Map;

/** The sidecar JSON written next to every exported file. */
public record ExportProvenance(String file, String figure, String format, String model, String modelHash, String prompt,
                               List<Integer> tokenIds, String ablationSpec, Map<String, String> viewSettings,
                               String engineVersion, String workbenchVersion, String date, Integer width, Integer height,
                               Integer dpi) {
    public ExportProvenance {
        tokenIds = List.copyOf(tokenIds);
        viewSettings = Map.copyOf(viewSettings);
    }

    static ExportProvenance of(String file, String figure, String format, RunProvenance run, Map<String, String> settings,
                               String workbenchVersion, String date, ExportOptions size) {
        return new ExportProvenance(file, figure, format, run.model(), run.modelHash(), run.prompt(), run.tokenIds(),
                run.ablationSpec(), settings, run.engineVersion(), workbenchVersion, date,
                size == null ? null : size.width(), size == null ? null : size.height(), size == null ? null : size.dpi());
    }
}
