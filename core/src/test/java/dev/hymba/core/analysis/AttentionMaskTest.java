package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AttentionMaskTest {

    @Test
    void localMaskFollowsTheArchitectureRule() {
        AttentionMask m = AttentionMask.local(3, 2);
        assertTrue(m.allowed(10, 10));      // self
        assertTrue(m.allowed(10, 7));       // t − u = 3 = W
        assertFalse(m.allowed(10, 6));      // t − u = 4 > W, not meta
        assertTrue(m.allowed(10, 1));       // meta
        assertTrue(m.allowed(10, 0));
        assertFalse(m.allowed(1, 2));       // future
        assertFalse(AttentionMask.global(0).allowed(3, 4));
        assertTrue(AttentionMask.global(0).allowed(300, 0));
    }

    @Test
    void countsAgreeWithBruteForce() {
        int seqLen = 40;
        for (AttentionMask m : new AttentionMask[]{AttentionMask.local(5, 3), AttentionMask.local(1, 0),
                AttentionMask.local(100, 4), AttentionMask.global(3), AttentionMask.local(5, 20)}) {
            for (int t = 0; t < seqLen; t++) {
                int n = 0;
                for (int u = 0; u < seqLen; u++) if (m.allowed(t, u)) n++;
                assertEquals(n, m.allowedCount(t), m + " row " + t);
            }
            for (int k = 0; k < seqLen; k++) {
                int n = 0;
                for (int t = 0; t < seqLen; t++) if (m.allowed(t, k)) n++;
                assertEquals(n, m.queriesSeeing(k, seqLen), m + " key " + k);
            }
        }
    }

    @Test
    void hymbaShapeSeesWindowPlusSelfPlusMeta() {
        AttentionMask m = AttentionMask.local(1024, 128);
        assertEquals(1025 + 128, m.allowedCount(2000));
        assertEquals(2000 - 1024, m.windowStart(2000));
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.local(0, 4));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.local(-5, 4));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.local(4, -1));
    }
}
