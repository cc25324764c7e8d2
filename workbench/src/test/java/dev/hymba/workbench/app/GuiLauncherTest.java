package dev.hymba.workbench.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GuiLauncherTest {
    @Test
    void linuxWithoutDisplayVariablesHasNoDisplay() {
        assertThat(GuiLauncher.missingDisplay(Map.of(), "Linux", null)).isEqualTo("no display (DISPLAY and WAYLAND_DISPLAY are not set)");
        assertThat(GuiLauncher.missingDisplay(Map.of("DISPLAY", ""), "Linux", null)).isNotNull();
    }

    @Test
    void x11WaylandMonocleAndDesktopOsesCountAsDisplays() {
        assertThat(GuiLauncher.missingDisplay(Map.of("DISPLAY", ":0"), "Linux", null)).isNull();
        assertThat(GuiLauncher.missingDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null)).isNull();
        assertThat(GuiLauncher.missingDisplay(Map.of(), "Linux", "Monocle")).isNull();
        assertThat(GuiLauncher.missingDisplay(Map.of(), "Mac OS X", null)).isNull();
        assertThat(GuiLauncher.missingDisplay(Map.of(), "Windows 11", null)).isNull();
    }
}
