package dev.hymba.workbench.export;

/** An export that could not be written; the message names the file and the reason. */
public final class ExportException extends RuntimeException {
    public ExportException(String message) { super(message); }

    public ExportException(String message, Throwable cause) { super(message, cause); }
}
