package dev.hymba.core.ablation;

import dev.hymba.core.ablation.AblationElement.*;
import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AblationSpecTest {

    /** 6 layers, 4 heads, I = 128, globals {0,3,5}, layer 2 reuses layer 1's K/V (the tiny-a shape). */
    static final ModelShape SHAPE = new ModelShape(6, 4, 2, 128, Set.of(0, 3, 5), List.of(0, 1, 1, 3, 4, 5));

    static AblationSpec everything() {
        return AblationSpec.of(
                AttentionChange.local(0, 256), AttentionChange.global(4),
                new FusionChange(3, FusionMode.STACKED_SSM_FIRST),
                new BranchOff(1, Branch.SSM), new BranchOff(1, Branch.ATTENTION),
                new HeadOff(2, 3, Replacement.MEAN, Stage.POST_NORM), new HeadOff(0, 0, Replacement.ZERO, Stage.PRE_NORM),
                new SsmBlockOff(5, 1, Replacement.ZERO, Stage.POST_NORM),
                new KvAblation(1, Replacement.MEAN)).withMeta(MetaMode.ZEROED);
    }

    @Test
    void jsonRoundTripIsExact() {
        AblationSpec s = everything();
        String json = s.toJson();
        AblationSpec back = AblationSpec.fromJson(json);
        assertEquals(s, back);
        assertEquals(s.elements(), back.elements(), "insertion order survives");
        assertEquals(json, back.toJson());
        assertEquals(AblationSpec.EMPTY, AblationSpec.fromJson(AblationSpec.EMPTY.toJson()));
        s.validate(SHAPE);
    }

    @Test
    void pluginInterventionsRoundTripExactlyAndComposeInOrder() {
        String json = """
                {"version": 1, "heads": [{"layer": 2, "head": 1, "replace": "zero", "stage": "pre_norm"}],
                 "interventions": [{"plugin": "scale-branch", "params": {"layer": 2, "branch": "ssm", "factor": 0.5}},
                                   {"plugin": "my-thing", "params": {"nested": {"xs": [1, 2.0, -3e-2], "on": true, "s": "é"}, "n": null}},
                                   {"plugin": "scale-branch", "params": {}}]}
                """;
        AblationSpec s = AblationSpec.fromJson(json);
        assertEquals(3, s.plugins().size());
        assertEquals(new PluginIntervention("scale-branch", "{\"layer\":2,\"branch\":\"ssm\",\"factor\":0.5}"), s.plugins().get(0));
        assertEquals(java.util.Map.of("layer", 2, "branch", "ssm", "factor", 0.5), s.plugins().get(0).params());
        assertEquals(new PluginIntervention("t", "{\"a\":1,\"b\":2}"), new PluginIntervention("t", "{\"b\":2,\"a\":1}"));
        assertEquals(new PluginIntervention("t", "{\"a\":1,\"b\":2}").hashCode(), new PluginIntervention("t", "{\"b\":2,\"a\":1}").hashCode());
        assertNotEquals(new PluginIntervention("t", "{\"a\":1}"), new PluginIntervention("t", "{\"a\":1.0}"));
        assertEquals("{\"b\":2,\"a\":1}", new PluginIntervention("t", "{ \"b\": 2, \"a\": 1 }").paramsJson()); // given order kept
        AblationSpec back = AblationSpec.fromJson(s.toJson());
        assertEquals(s, back);
        assertEquals(s.plugins(), back.plugins());
        assertEquals(s.toJson(), back.toJson());
        assertTrue(s.toJson().contains("\"xs\" : [ 1, 2.0, -0.03 ]"), s.toJson()); // integers stay integers, doubles stay doubles
        // programmatic entries equal parsed ones; order is meaningful, merge appends
        PluginIntervention p = PluginIntervention.of("scale-branch", java.util.Map.of("factor", 0.5));
        assertEquals(AblationSpec.EMPTY.withPlugin(p), AblationSpec.fromJson(AblationSpec.EMPTY.withPlugin(p).toJson()));
        AblationSpec two = AblationSpec.EMPTY.withPlugin(s.plugins().get(0)).withPlugin(s.plugins().get(1));
        AblationSpec swapped = AblationSpec.EMPTY.withPlugin(s.plugins().get(1)).withPlugin(s.plugins().get(0));
        assertNotEquals(two, swapped);
        assertEquals(List.of(s.plugins().get(0), s.plugins().get(1), s.plugins().get(1), s.plugins().get(0)), two.merge(swapped).plugins());
        assertFalse(AblationSpec.EMPTY.withPlugin(p).isEmpty());
        assertTrue(AblationSpec.EMPTY.withPlugin(p).isOutOfDistribution());
        assertEquals(List.of("OUT OF DISTRIBUTION: 1 intervention(s)", "plugin intervention scale-branch {\"factor\":0.5}"),
                AblationSpec.EMPTY.withPlugin(p).describe());
        assertTrue(s.with(new HeadOff(0, 0, Replacement.ZERO, Stage.PRE_NORM)).withMeta(MetaMode.ZEROED).plugins().equals(s.plugins()));
        s.validate(SHAPE); // core does not judge plugin params
    }

    @Test
    void parsesTheDocumentedSchema() {
        AblationSpec s = AblationSpec.fromJson("""
                {"version": 1, "meta": "dropped",
                 "attention": [{"layer": 15, "mode": "local", "window": 1024}],
                 "fusion": [{"layer": 4, "mode": "stacked_attn_first"}],
                 "branches": [{"layer": 7, "branch": "attention"}],
                 "heads": [{"layer": 2, "head": 7, "replace": "zero", "stage": "pre_norm"}],
                 "ssm_blocks": [{"layer": 2, "block": 24, "replace": "mean", "stage": "post_norm"}],
                 "kv": [{"layer": 16, "replace": "zero"}]}
                """);
        assertEquals(AblationSpec.of(AttentionChange.local(15, 1024), new FusionChange(4, FusionMode.STACKED_ATTN_FIRST),
                new BranchOff(7, Branch.ATTENTION), new HeadOff(2, 7, Replacement.ZERO, Stage.PRE_NORM),
                new SsmBlockOff(2, 24, Replacement.MEAN, Stage.POST_NORM), new KvAblation(16, Replacement.ZERO))
                .withMeta(MetaMode.DROPPED), s);
        assertEquals(MetaMode.AS_TRAINED, AblationSpec.fromJson("{\"version\":1}").meta());
    }

    @Test
    void compositionReplacesSlotsAndMergeLetsTheOtherWin() {
        AblationSpec a = AblationSpec.of(new HeadOff(2, 1, Replacement.ZERO, Stage.PRE_NORM), AttentionChange.global(1));
        AblationSpec a2 = a.with(new HeadOff(2, 1, Replacement.MEAN, Stage.POST_NORM));
        assertEquals(2, a2.elements().size());
        assertEquals(new HeadOff(2, 1, Replacement.MEAN, Stage.POST_NORM), a2.elements().get(0), "replaced in place");
        assertEquals(2, a.elements().size(), "the original is unchanged");
        assertEquals(Replacement.ZERO, a.elements(HeadOff.class).get(0).replace());

        AblationSpec b = AblationSpec.of(AttentionChange.local(1, 64), new BranchOff(3, Branch.SSM)).withMeta(MetaMode.MEAN);
        AblationSpec m = a.merge(b);
        assertEquals(List.of(AttentionChange.local(1, 64)), m.elements(AttentionChange.class));
        assertEquals(3, m.elements().size());
        assertEquals(MetaMode.MEAN, m.meta());
        assertEquals(MetaMode.MEAN, m.merge(AblationSpec.EMPTY).meta(), "AS_TRAINED in the overlay keeps ours");
        // equality ignores insertion order
        assertEquals(AblationSpec.of(new BranchOff(3, Branch.SSM), AttentionChange.local(1, 64)).withMeta(MetaMode.MEAN), b);
    }

    @Test
    void everyNonEmptySpecIsOutOfDistributionAndDescribed() {
        assertFalse(AblationSpec.EMPTY.isOutOfDistribution());
        assertFalse(AblationSpec.EMPTY.withMeta(MetaMode.AS_TRAINED).isOutOfDistribution());
        assertTrue(AblationSpec.EMPTY.withMeta(MetaMode.DROPPED).isOutOfDistribution());
        assertTrue(AblationSpec.of(new FusionChange(0, FusionMode.FUSED)).isOutOfDistribution());
        List<String> lines = everything().describe();
        assertTrue(lines.get(0).startsWith("OUT OF DISTRIBUTION: 10 intervention(s)"), lines.get(0));
        assertEquals(11, lines.size());
        assertTrue(lines.contains("layer 0: attention made local (sliding window 256 + meta tokens)"), lines.toString());
        assertTrue(lines.contains("layer 2: attention head 3 replaced by its mean over the prompt after the pre-average norm (r kept fixed)"));
        assertTrue(lines.contains("layer 1: K/V replaced by its mean over the prompt (propagates to the layers that reuse them)"));
        assertTrue(lines.contains("meta token embeddings zeroed (positions kept)"));
        for (AblationElement e : everything().elements()) assertFalse(e.describe().contains("\n"));
    }

    @Test
    void validationNamesTheField() {
        AblationSpec s = AblationSpec.fromJson("""
                {"version": 1, "heads": [
                  {"layer": 0, "head": 1, "replace": "zero", "stage": "pre_norm"},
                  {"layer": 1, "head": 2, "replace": "zero", "stage": "pre_norm"},
                  {"layer": 2, "head": 7, "replace": "zero", "stage": "pre_norm"}]}""");
        var e = assertThrows(AblationSpecException.class, () -> s.validate(SHAPE));
        assertEquals("heads[2].head: 7 is out of range 0..3", e.getMessage());
        assertEquals("heads[2].head", e.path());

        assertValidation("attention[0].layer: 6 is out of range 0..5", "\"attention\": [{\"layer\": 6, \"mode\": \"global\"}]");
        assertValidation("ssm_blocks[0].block: 4 is out of range 0..3",
                "\"ssm_blocks\": [{\"layer\": 1, \"block\": 4, \"replace\": \"mean\", \"stage\": \"post_norm\"}]");
        assertValidation("kv[1].layer: layer 2 reuses the K/V of layer 1; ablate the producer 1 (it propagates to its consumers [2])",
                "\"kv\": [{\"layer\": 1, \"replace\": \"zero\"}, {\"layer\": 2, \"replace\": \"zero\"}]");
        assertValidation("branches[0].layer: 9 is out of range 0..5", "\"branches\": [{\"layer\": 9, \"branch\": \"ssm\"}]");
    }

    private static void assertValidation(String message, String section) {
        AblationSpec s = AblationSpec.fromJson("{\"version\": 1, " + section + "}");
        assertEquals(message, assertThrows(AblationSpecException.class, () -> s.validate(SHAPE)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"version\": 1, \"attention\": [{\"layer\": 0, \"mode\": \"local\", \"window\": 0}]}       | attention[0].window: 0 must be > 0",
            "{\"version\": 1, \"attention\": [{\"layer\": 0, \"mode\": \"local\", \"window\": -8}]}      | attention[0].window: -8 must be > 0",
            "{\"version\": 1, \"attention\": [{\"layer\": 0, \"mode\": \"local\"}]}                     | attention[0].window: is required with mode \"local\"",
            "{\"version\": 1, \"attention\": [{\"layer\": 0, \"mode\": \"global\", \"window\": 4}]}      | attention[0].window: not allowed with mode \"global\"",
            "{\"version\": 1, \"attention\": [{\"layer\": 0, \"mode\": \"sparse\"}]}                    | attention[0].mode: \"sparse\" is not one of global, local",
            "{\"version\": 1, \"fusion\": [{\"layer\": 0, \"mode\": \"parallel\"}]}                     | fusion[0].mode: \"parallel\" is not one of fused, stacked_attn_first, stacked_ssm_first",
            "{\"version\": 1, \"heads\": [{\"layer\": \"2\", \"head\": 1, \"replace\": \"zero\", \"stage\": \"pre_norm\"}]} | heads[0].layer: expected an integer, got string \"2\"",
            "{\"version\": 1, \"heads\": [{\"layer\": 2, \"head\": -1, \"replace\": \"zero\", \"stage\": \"pre_norm\"}]}   | heads[0].head: -1 must be >= 0",
            "{\"version\": 1, \"heads\": [{\"layer\": 2, \"head\": 1, \"replace\": \"zero\"}]}           | heads[0].stage: is required",
            "{\"version\": 1, \"heads\": [{\"layer\": 2, \"head\": 1, \"replace\": \"drop\", \"stage\": \"pre_norm\"}]}   | heads[0].replace: \"drop\" is not one of zero, mean",
            "{\"version\": 1, \"heads\": [{\"layer\": 2, \"head\": 1, \"replace\": \"zero\", \"stage\": \"pre_norm\", \"scale\": 2}]} | heads[0].scale: unknown field (allowed: layer, head, replace, stage)",
            "{\"version\": 1, \"kv\": [{\"layer\": -1, \"replace\": \"zero\"}]}                         | kv[0].layer: -1 must be >= 0",
            "{\"version\": 1, \"kv\": {\"layer\": 1}}                                                  | kv: expected an array, got object",
            "{\"version\": 1, \"branches\": [{\"layer\": 1, \"branch\": \"ssm\"}, {\"layer\": 1, \"branch\": \"ssm\"}]} | branches[1]: sets the same slot as branches[0] (layer 1: SSM branch off (its fused term removed))",
            "{\"version\": 1, \"meta\": \"off\"}                                                       | meta: \"off\" is not one of as_trained, dropped, zeroed, mean",
            "{\"version\": 1, \"head\": []}                                                           | head: unknown field (allowed: attention, fusion, branches, heads, ssm_blocks, kv, version, meta, interventions)",
            "{\"meta\": \"dropped\"}                                                                  | version: is required (this build reads version 1)",
            "{\"version\": 2}                                                                         | version: 2 is not supported (this build reads version 1)",
            "[1, 2]                                                                                   | expected a JSON object",
            "{\"version\": 1, \"interventions\": {\"plugin\": \"x\"}}                                   | interventions: expected an array, got object",
            "{\"version\": 1, \"interventions\": [\"scale-branch\"]}                                 | interventions[0]: expected an object {\"plugin\": TYPE, \"params\": {...}}, got string",
            "{\"version\": 1, \"interventions\": [{\"params\": {}}]}                                  | interventions[0].plugin: is required",
            "{\"version\": 1, \"interventions\": [{\"plugin\": 3, \"params\": {}}]}                  | interventions[0].plugin: expected a string, got number 3",
            "{\"version\": 1, \"interventions\": [{\"plugin\": \" \", \"params\": {}}]}              | interventions[0].plugin: must name an intervention type",
            "{\"version\": 1, \"interventions\": [{\"plugin\": \"x\"}]}                               | interventions[0].params: is required (use {} for none)",
            "{\"version\": 1, \"interventions\": [{\"plugin\": \"x\", \"params\": [1]}]}            | interventions[0].params: expected an object, got array [1]",
            "{\"version\": 1, \"interventions\": [{\"plugin\": \"x\", \"params\": {}, \"on\": 1}]} | interventions[0].on: unknown field (allowed: plugin, params)",
    })
    void rejectsBadDocuments(String json, String message) {
        var e = assertThrows(AblationSpecException.class, () -> AblationSpec.fromJson(json));
        assertEquals(message.strip(), e.getMessage());
    }

    @Test
    void malformedJsonNamesThePosition() {
        // the second comma of line 2 is its 22nd character
        var e = assertThrows(AblationSpecException.class, () -> AblationSpec.fromJson("{\"version\": 1,\n \"kv\": [ {\"layer\": 1,, } ]}"));
        assertTrue(e.getMessage().startsWith("malformed JSON at line 2, column 22: "), e.getMessage());
        var trailing = assertThrows(AblationSpecException.class, () -> AblationSpec.fromJson("{\"version\": 1} {}"));
        assertTrue(trailing.getMessage().startsWith("malformed JSON at line 1, column 16"), trailing.getMessage());
        var dup = assertThrows(AblationSpecException.class, () -> AblationSpec.fromJson("{\"version\": 1, \"version\": 1}"));
        assertTrue(dup.getMessage().contains("Duplicate field 'version'"), dup.getMessage());
    }

    @Test
    void elementConstructorsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AttentionChange.local(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new HeadOff(-1, 0, Replacement.ZERO, Stage.PRE_NORM));
        assertThrows(IllegalArgumentException.class, () -> new SsmBlockOff(0, -2, Replacement.ZERO, Stage.PRE_NORM));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(2, 3, 1, 128, Set.of(), List.of(0, 1)));
    }

    @Test
    void modelShapeOfTheReal15BConfig() throws Exception {
        Path cfg = SharedData.golden().map(g -> g.resolve("hymba-1.5b-reference-files/config.json")).filter(Files::exists).orElse(null);
        assumeTrue(cfg != null, "shared golden data (hymba-1.5b-reference-files/config.json) not found; skipping");
        ModelShape s = ModelShape.of(HymbaConfigParser.read(cfg));
        assertEquals(32, s.layers());
        assertEquals(25, s.heads());
        assertEquals(128, s.blockSize());
        assertEquals(Set.of(0, 15, 31), s.globalLayers());
        assertEquals(List.of(17, 18), s.consumersOf(16));
        var e = assertThrows(AblationSpecException.class,
                () -> AblationSpec.of(new KvAblation(18, Replacement.ZERO)).validate(s));
        assertEquals("kv[0].layer: layer 18 reuses the K/V of layer 16; ablate the producer 16 (it propagates to its consumers [17, 18])", e.getMessage());
    }
}
