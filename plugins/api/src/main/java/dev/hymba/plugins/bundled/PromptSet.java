package dev.hymba.plugins.bundled;

import java.util.List;

/** Several prompts for analyses that average over a set (head-importance scan); optional host service. */
public record PromptSet(List<int[]> prompts) {
    public PromptSet {
        if (prompts == null || prompts.isEmpty()) throw new IllegalArgumentException("the prompt set is empty");
        prompts = prompts.stream().map(int[]::clone).toList();
        for (int i = 0; i < prompts.size(); i++)
            if (prompts.get(i).length < 2) throw new IllegalArgumentException("prompt " + i + " of the set has " + prompts.get(i).length + " tokens; a loss needs at least 2");
    }
}
