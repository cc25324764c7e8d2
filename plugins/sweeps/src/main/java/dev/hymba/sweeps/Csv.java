package dev.hymba.sweeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break. Doubles round-trip exactly. */
public final class Csv {
    private Csv() {}

    public static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    public static String line(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(field(fields.get(i)));
        }
        return sb.append('\n').toString();
    }

    /** All records of a CSV text (a quoted field may span lines). */
    public static List<List<String>> parse(String text, String source) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false, any = false;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') { f.append('"'); i++; } else quoted = false;
                } else {
                    if (ch == '\n') line++;
                    f.append(ch);
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    if (!f.isEmpty()) throw new IllegalArgumentException(source + " line " + line + ": a quote inside an unquoted field");
                    quoted = true; any = true;
                }
                case ',' -> { rec.add(f.toString()); f.setLength(0); any = true; }
                case '\r' -> { }
                case '\n' -> {
                    if (any || !f.isEmpty()) { rec.add(f.toString()); out.add(rec); }
                    rec = new ArrayList<>(); f.setLength(0); any = false; line++;
                }
                default -> { f.append(ch); any = true; }
            }
        }
        if (quoted) throw new IllegalArgumentException(source + ": unterminated quoted field at the end");
        if (any || !f.isEmpty()) { rec.add(f.toString()); out.add(rec); }
        return out;
    }

    /** Writes {@code text} so that readers see the old file or the whole new one, never a part. */
    public static void writeAtomically(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
