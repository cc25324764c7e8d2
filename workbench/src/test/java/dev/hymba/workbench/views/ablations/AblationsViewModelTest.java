package dev.hymba.workbench.views.ablations;

import dev.hymba.workbench.views.ablations.AblationState.Attention;
import dev.hymba.workbench.views.ablations.AblationState.Branch;
import dev.hymba.workbench.views.ablations.AblationState.Fusion;
import dev.hymba.workbench.views.ablations.AblationState.LayerAblation;
import dev.hymba.workbench.views.ablations.AblationState.MetaMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AblationsViewModelTest {
    private final List<String> applied = new ArrayList<>();
    private final AblationsViewModel vm = new AblationsViewModel(32, 25, applied::add);

    @Test
    void editsProduceSpecTextAndApplyEachChange() {
        vm.setLayer(16, new LayerAblation(Attention.LOCAL, 1024, Fusion.ATTENTION_FIRST, Branch.BOTH));
        vm.setHeadOff(3, 7, true);
        vm.setMeta(MetaMode.ZEROED);
        String spec = vm.specTextProperty().get().replaceAll("\\s", "");
        assertThat(spec).isEqualTo("{\"layers\":{\"16\":{\"attention\":\"local\",\"window\":1024,\"fusion\":\"attention-first\"}},"
                + "\"heads_off\":[[3,7]],\"meta_tokens\":\"zeroed\"}");
        assertThat(applied).hasSize(3).last().isEqualTo(vm.specTextProperty().get());
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
        assertThat(vm.specTextProperty().get()).isEqualTo("{}");
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
    void jsonRoundTripsAndResettingALayerRemovesIt() {
        vm.setLayer(2, new LayerAblation(Attention.GLOBAL, 0, Fusion.SSM_FIRST, Branch.SSM_ONLY));
        String spec = vm.specTextProperty().get();
        assertThat(AblationState.fromJson(spec, 32, 25)).isEqualTo(vm.state());
        vm.setLayer(2, LayerAblation.NONE);
        assertThat(vm.specTextProperty().get()).isEqualTo("{}");
    }

    @Test
    void badSpecsNameTheFieldAndChangeNothing() {
        vm.setMeta(MetaMode.ZEROED);
        AblationState before = vm.state();
        assertThatThrownBy(() -> vm.load("{\"layers\":{\"40\":{}}}")).hasMessage("layers.40: 40 is out of range 0..31");
        assertThatThrownBy(() -> vm.load("{\"layers\":{\"1\":{\"fusion\":\"sideways\"}}}"))
                .hasMessage("layers.1.fusion: unknown value 'sideways' (expected one of fused, attention-first, ssm-first)");
        assertThatThrownBy(() -> vm.load("{\"heads_off\":[[1,25]]}")).hasMessage("heads_off head: 25 is out of range 0..24");
        assertThatThrownBy(() -> vm.load("{\"layer\":{}}")).hasMessageContaining("unknown field 'layer'");
        assertThatThrownBy(() -> vm.load("{\"layers\":")).hasMessageStartingWith("ablation spec is not valid JSON");
        assertThat(vm.state()).isEqualTo(before);
    }
}
