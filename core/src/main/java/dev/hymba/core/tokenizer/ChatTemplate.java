package dev.hymba.core.tokenizer;

import java.util.List;

/**
 * The Hymba-1.5B-Instruct chat template (architecture reference §5), re-implemented from the Jinja source in the
 * released tokenizer_config.json so no template engine is needed. Output is character-for-character what
 * {@code apply_chat_template(tokenize=False)} renders:
 * <pre>
 * &lt;extra_id_0&gt;System[\n{system}...][\n][\n&lt;tool&gt; {json} &lt;/tool&gt;]*[\n][\n&lt;context&gt; {ctx} &lt;/context&gt;]*\n\n
 * &lt;extra_id_1&gt;User\n{content}\n  &lt;extra_id_1&gt;Assistant\n{content}\n  &lt;extra_id_1&gt;Tool\n{content}\n ...
 * [&lt;extra_id_1&gt;Assistant\n]   (add_generation_prompt)
 * </pre>
 * Contents are stripped with Python's {@code str.strip()} whitespace set, as the template does.
 */
public final class ChatTemplate {
    private ChatTemplate() {}

    public static String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, List.of(), List.of(), addGenerationPrompt);
    }

    /**
     * @param toolsJson tool descriptions, each already serialised as the template's {@code tojson} would
     *                  (Python json.dumps defaults: ", " and ": " separators, non-ASCII kept)
     * @param contexts  retrieved context passages
     */
    public static String render(List<ChatMessage> messages, List<String> toolsJson, List<String> contexts, boolean addGenerationPrompt) {
        boolean tools = !toolsJson.isEmpty(), ctx = !contexts.isEmpty();
        StringBuilder out = new StringBuilder("<extra_id_0>System");
        for (ChatMessage m : messages) {
            if (!m.role().equals("system")) continue;
            out.append('\n').append(pyStrip(m.content()));
            if (tools || ctx) out.append('\n');
        }
        for (String t : toolsJson) out.append("\n<tool> ").append(t).append(" </tool>");
        if (ctx) {
            if (tools) out.append('\n');
            for (String c : contexts) out.append("\n<context> ").append(pyStrip(c)).append(" </context>");
        }
        out.append("\n\n");
        for (ChatMessage m : messages) {
            String header = switch (m.role()) {
                case "user" -> "<extra_id_1>User\n";
                case "assistant" -> "<extra_id_1>Assistant\n";
                case "tool" -> "<extra_id_1>Tool\n";
                default -> null; // system messages were rendered above
            };
            if (header != null) out.append(header).append(pyStrip(m.content())).append('\n');
        }
        if (addGenerationPrompt) out.append("<extra_id_1>Assistant\n");
        return out.toString();
    }

    /** Python's str.strip(): removes characters for which str.isspace() is true (a wider set than Java's strip()). */
    static String pyStrip(String s) {
        int b = 0, e = s.length();
        while (b < e && isPySpace(s.charAt(b))) b++;
        while (e > b && isPySpace(s.charAt(e - 1))) e--;
        return s.substring(b, e);
    }

    static boolean isPySpace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }
}
