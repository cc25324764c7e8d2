package dev.hymba.sweeps;

/** A sweep spec or prompt set that cannot be run; the message starts with where (file, line, JSON path). */
public final class SweepSpecException extends IllegalArgumentException {
    private final String where;

    public SweepSpecException(String where, String problem) {
        super(where.isEmpty() ? problem : where + ": " + problem);
        this.where = where;
    }

    /** The file/line/JSON path the problem is at ("" for the whole document). */
    public String where() { return where; }
}
