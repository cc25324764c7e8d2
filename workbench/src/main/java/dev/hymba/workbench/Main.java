package dev.hymba.workbench;

import dev.hymba.workbench.app.GuiLauncher;
import dev.hymba.workbench.cli.HymbaCli;

/** Entry point of ./hymba: no arguments opens the workbench, otherwise a CLI command runs. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            // The engine is found through RunService's ServiceLoader seam (null: discover).
            System.exit(GuiLauncher.launch(null, System.err));
        }
        System.exit(HymbaCli.run(args));
    }
}
