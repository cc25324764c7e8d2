package dev.hymba.workbench.charts;

import java.io.IOException;
import java.io.Writer;

/** The data behind a chart, written as CSV (RFC 4180 quoting, header first). */
@FunctionalInterface
public interface CsvWritable {
    void writeCsv(Writer out) throws IOException;

    /** Quotes a field when it holds a comma, quote or line break. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
