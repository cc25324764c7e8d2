package dev.hymba.workbench.export;

import java.nio.file.Path;
import java.util.Locale;

/** Output formats of a figure. */
public enum FigureFormat {
    PNG, SVG, PDF;

    public String extension() { return name().toLowerCase(Locale.ROOT); }

    /** The format named by a file's extension. */
    public static FigureFormat of(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String ext = dot < 0 ? "" : n.substring(dot + 1).toUpperCase(Locale.ROOT);
        for (FigureFormat f : values()) if (f.name().equals(ext)) return f;
        throw new ExportException("Cannot tell the figure format of " + file + ": use a .png, .svg or .pdf file name");
    }
}
