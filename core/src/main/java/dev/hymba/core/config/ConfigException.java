package dev.hymba.core.config;

/** A config.json that cannot be used; the message names the field and why. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
}
