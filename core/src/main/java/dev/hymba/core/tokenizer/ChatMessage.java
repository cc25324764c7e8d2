package dev.hymba.core.tokenizer;

import java.util.Objects;

/** One message of a chat: role is system, user, assistant or tool (the roles the Instruct template knows). */
public record ChatMessage(String role, String content) {
    public static final java.util.Set<String> ROLES = java.util.Set.of("system", "user", "assistant", "tool");

    public ChatMessage {
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role))
            throw new IllegalArgumentException("chat role '" + role + "' is not one of system, user, assistant, tool"
                    + " (the Instruct template would silently drop it)");
    }

    public static ChatMessage system(String content) { return new ChatMessage("system", content); }
    public static ChatMessage user(String content) { return new ChatMessage("user", content); }
    public static ChatMessage assistant(String content) { return new ChatMessage("assistant", content); }
    public static ChatMessage tool(String content) { return new ChatMessage("tool", content); }
}
