package dev.hymba.core.tokenizer;

/** Tokenizer files that cannot be used, or input the tokenizer must refuse; the message says which and why. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) { super(message); }
    public TokenizerException(String message, Throwable cause) { super(message, cause); }
}
