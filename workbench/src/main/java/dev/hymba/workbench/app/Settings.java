package dev.hymba.workbench.app;

import java.util.ArrayList;
import java.util.List;

/**
 * User settings kept between sessions.
 *
 * @param recentModels most recent first, at most {@link #MAX_RECENT}
 */
public record Settings(List<String> recentModels, String lastExportFolder, int exportWidth, int exportHeight,
                       int exportDpi, String colorScale) {
    public static final int MAX_RECENT = 10;

    public Settings {
        recentModels = recentModels == null ? List.of() : List.copyOf(recentModels);
        lastExportFolder = lastExportFolder == null ? "" : lastExportFolder;
        if (exportWidth <= 0) exportWidth = 1200;
        if (exportHeight <= 0) exportHeight = 1000;
        if (exportDpi <= 0) exportDpi = 150;
        colorScale = colorScale == null ? "linear" : colorScale;
    }

    public static Settings defaults() { return new Settings(List.of(), "", 1200, 1000, 150, "linear"); }

    /** The same settings with a model moved (or added) to the top of the recent list. */
    public Settings withRecentModel(String model) {
        List<String> r = new ArrayList<>(recentModels);
        r.remove(model);
        r.addFirst(model);
        if (r.size() > MAX_RECENT) r = r.subList(0, MAX_RECENT);
        return new Settings(r, lastExportFolder, exportWidth, exportHeight, exportDpi, colorScale);
    }

    public Settings withExport(String folder, int width, int height, int dpi) {
        return new Settings(recentModels, folder, width, height, dpi, colorScale);
    }
}
