package dev.hymba.core.ablation;

/** A rejected ablation spec; {@link #path()} names the JSON field (e.g. {@code heads[2].head}) or "" for the document. */
public final class AblationSpecException extends IllegalArgumentException {
    private final String path;

    public AblationSpecException(String path, String message) {
        super(path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    public String path() { return path; }
}
