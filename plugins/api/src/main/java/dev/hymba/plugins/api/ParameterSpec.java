package dev.hymba.plugins.api;

/** A parameter a plugin accepts (shown in the GUI, passed as --param name=value on the CLI). */
public record ParameterSpec(String name, String description, String defaultValue) {}
