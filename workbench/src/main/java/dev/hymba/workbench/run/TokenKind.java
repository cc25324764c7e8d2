package dev.hymba.workbench.run;

/** What a sequence position holds: a learned meta token, the BOS token, or a prompt token. */
public enum TokenKind { META, BOS, TEXT }
