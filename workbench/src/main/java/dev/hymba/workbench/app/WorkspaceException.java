package dev.hymba.workbench.app;

/** A workspace that could not be saved or opened; the message names the file and the reason. */
public final class WorkspaceException extends RuntimeException {
    public WorkspaceException(String message, Throwable cause) { super(message, cause); }
}
