package dev.hymba.core.io;

/** A checkpoint (safetensors, index, config) could not be read; the message names the file and the problem. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) { super(message); }
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
