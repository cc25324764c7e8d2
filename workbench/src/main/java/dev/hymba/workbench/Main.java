package dev.hymba.workbench;

import dev.hymba.workbench.cli.HymbaCli;

/** Entry point of ./hymba: no arguments opens the workbench, otherwise a CLI command runs. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            // The GUI is wired here once it exists; until then, print the command list.
            System.exit(HymbaCli.run("--help"));
        }
        System.exit(HymbaCli.run(args));
    }
}
