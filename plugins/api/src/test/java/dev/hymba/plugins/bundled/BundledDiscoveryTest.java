package dev.hymba.plugins.bundled;

import dev.hymba.plugins.api.AnalysisPlugin;
import dev.hymba.plugins.api.InterventionPlugin;
import dev.hymba.plugins.host.LoadedPlugin;
import dev.hymba.plugins.host.PluginRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BundledDiscoveryTest {
    @Test
    void everyBundledPluginIsFoundOnTheClassPath() {
        try (PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader(), null)) {
            assertThat(reg.refusals()).isEmpty();
            assertThat(reg.plugins()).extracting(LoadedPlugin::id).contains(LogitLensPlugin.ID, BranchAttributionPlugin.ID,
                    HeadImportancePlugin.ID, ActivationPatchingPlugin.ID, ScaleBranchIntervention.ID);
            assertThat(reg.all(AnalysisPlugin.class)).hasSizeGreaterThanOrEqualTo(4);
            assertThat(reg.all(InterventionPlugin.class)).extracting(InterventionPlugin::type).contains("scale-branch");
        }
    }
}
