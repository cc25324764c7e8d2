package dev.hymba.workbench.views.ablations;

import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.MetaMode;
import dev.hymba.workbench.views.ablations.AblationState.Attention;
import dev.hymba.workbench.views.ablations.AblationState.Branch;
import dev.hymba.workbench.views.ablations.AblationState.Fusion;
import dev.hymba.workbench.views.ablations.AblationState.LayerAblation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AblationsViewModelTest {
    private final List<String> applied = new ArrayList<>();
    private final AblationsViewModel vm = new AblationsViewModel(32, 25, 1024, applied::add);

    private static String compact(String json) { return json.replaceAll("\\s", ""); }

    @Test
    void editsProduceTheEnginesSpecJsonAndApplyEachChange() {
        vm.setLayer(16, new LayerAblation(Attention.LOCAL, 0, Fusion.ATTENTION_FIRST, Branch.BOTH));
        vm.setHeadOff(3, 7, true);
        vm.setMeta(MetaMode.ZEROED);
        assertThat(compact(vm.specTextProperty().get())).isEqualTo("{\"version\":1,\"meta\":\"zeroed\","
                + "\"attention\":[{\"layer\":16,\"mode\":\"local\",\"window\":1024}],"
                + "\"fusion\":[{\"layer\":16,\"mode\":\"stacked_attn_first\"}],"
                + "\"heads\":[{\"layer\":3,\"head\":7,\"replace\":\"zero\",\"stage\":\"pre_norm\"}]}");
        assertThat(applied).hasSize(3).last().isEqualTo(vm.specTextProperty().get());
        // The engine reads back exactly the state the panel shows.
        assertThat(AblationSpec.fromJson(vm.specTextProperty().get())).isEqualTo(vm.state().spec());
    }

    @Test
    void branchChoiceMapsToTheOtherBranchOff() {
        vm.setLayer(2, new LayerAblation(Attention.GLOBAL, 0, Fusion.SSM_FIRST, Branch.ATTENTION_ONLY));
        assertThat(compact(vm.specTextProperty().get())).contains("\"branches\":[{\"layer\":2,\"branch\":\"ssm\"}]",
                "{\"layer\":2,\"mode\":\"global\"}", "\"stacked_ssm_first\"");
        assertThat(vm.state().layer(2)).isEqualTo(new LayerAblation(Attention.GLOBAL, 0, Fusion.SSM_FIRST, Branch.ATTENTION_ONLY));
        vm.setLayer(2, LayerAblation.NONE);
        assertThat(vm.state().spec().isEmpty()).isTrue();
    }

    @Test
    void undoAndRedoWalkThroughStates() {
        vm.setMeta(MetaMode.DROPPED);
        vm.setHeadOff(0, 0, true);
        assertThat(vm.canUndoProperty().get()).isTrue();
        vm.undo();
        assertThat(vm.state().headsOff()).isEmpty();
        assertThat(vm.state().meta()).isEqualTo(MetaMode.DROPPED);
        vm.undo();
        assertThat(vm.state()).isEqualTo(AblationState.BASELINE);
        assertThat(vm.canUndoProperty().get()).isFalse();
        vm.redo();
        vm.redo();
        assertThat(vm.state().headsOff()).containsExactly(new AblationState.HeadRef(0, 0));
        assertThat(vm.canRedoProperty().get()).isFalse();
        vm.undo();
        vm.setMeta(MetaMode.MEAN); // a new edit clears the redo stack
        assertThat(vm.canRedoProperty().get()).isFalse();
    }

    @Test
    void loadingKeepsElementsThePanelHasNoControlFor() {
        String spec = "{\"version\":1,\"ssm_blocks\":[{\"layer\":4,\"block\":2,\"replace\":\"mean\",\"stage\":\"post_norm\"}],"
                + "\"kv\":[{\"layer\":0,\"replace\":\"zero\"}]}";
        vm.load(spec);
        vm.setHeadOff(1, 1, true);
        assertThat(compact(vm.specTextProperty().get())).contains("\"ssm_blocks\":[{\"layer\":4,\"block\":2,\"replace\":\"mean\",\"stage\":\"post_norm\"}]",
                "\"kv\":[{\"layer\":0,\"replace\":\"zero\"}]");
    }

    @Test
    void badSpecsNameTheFieldAndChangeNothing() {
        vm.setMeta(MetaMode.ZEROED);
        AblationState before = vm.state();
        assertThatThrownBy(() -> vm.load("{\"version\":1,\"attention\":[{\"layer\":40,\"mode\":\"global\"}]}"))
                .hasMessage("attention:40: layer 40 is out of range 0..31");
        assertThatThrownBy(() -> vm.load("{\"version\":1,\"heads\":[{\"layer\":1,\"head\":25,\"replace\":\"zero\",\"stage\":\"pre_norm\"}]}"))
                .hasMessage("head:1:25: head 25 is out of range 0..24");
        assertThatThrownBy(() -> vm.load("{\"version\":1,\"fusion\":[{\"layer\":1,\"mode\":\"sideways\"}]}"))
                .hasMessageStartingWith("fusion[0].mode");
        assertThatThrownBy(() -> vm.load("{\"layers\":{}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vm.load("{\"version\":1,")).hasMessageContaining("malformed JSON");
        assertThat(vm.state()).isEqualTo(before);
    }
}
