package dev.hymba.workbench;

/** Entry point of ./hymba: no arguments opens the workbench, otherwise a CLI command runs. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("Hymba Workbench: the GUI and CLI commands are being built; see README.md.");
    }
}
