package org.vellum.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * One bound for every holder's investments; over it, the investment that saves least per byte goes first, whichever
 * holder has it, and one in use is never given up.
 */
class MemoryBudgetTest {
    /** A holder of investments of given sizes and values per byte; those marked busy are in use. */
    private static final class Holder implements MemoryBudget.Holder {
        final List<long[]> items = new ArrayList<>(); // {bytes, value per byte (x1000), busy}

        Holder add(long bytes, double valuePerByte, boolean busy) {
            items.add(new long[] {bytes, (long) (valuePerByte * 1000), busy ? 1 : 0});
            return this;
        }

        @Override
        public synchronized long bytes() {
            return items.stream().mapToLong(i -> i[0]).sum();
        }

        @Override
        public synchronized MemoryBudget.Investment cheapest() {
            long[] least = null;
            for (long[] i : items) if (i[2] == 0 && (least == null || i[1] < least[1])) least = i;
            if (least == null) return null;
            long[] chosen = least;
            return new MemoryBudget.Investment(chosen[1] / 1000.0, () -> {
                synchronized (Holder.this) {
                    return items.remove(chosen);
                }
            });
        }
    }

    @Test
    void nothingIsGivenUpWithinTheLimit() {
        MemoryBudget budget = new MemoryBudget(100);
        Holder h = new Holder().add(60, 1, false).add(40, 2, false);
        budget.register(h);
        budget.fit();
        assertEquals(100, budget.used());
        assertEquals(0, budget.stats().dropped());
    }

    @Test
    void theInvestmentThatSavesLeastPerByteGoesFirstWhicheverHolderHasIt() {
        MemoryBudget budget = new MemoryBudget(100);
        Holder decoders = new Holder().add(50, 3, false).add(30, 0.5, false);
        Holder levels = new Holder().add(20, 1, false).add(20, 4, false);
        budget.register(decoders);
        budget.register(levels);
        budget.fit();
        assertEquals(90, budget.used(), "the 30 bytes worth 0.5 each were enough");
        assertEquals(1, decoders.items.size());
        assertEquals(2, levels.items.size());
        levels.add(30, 2, false);
        budget.fit();
        assertEquals(100, budget.used(), "then the level worth 1 a byte");
        assertEquals(2, budget.stats().dropped());
        assertEquals(50, budget.stats().droppedBytes());
    }

    @Test
    void investmentsInUseAreNeverGivenUpEvenOverTheLimit() {
        MemoryBudget budget = new MemoryBudget(10);
        Holder h = new Holder().add(50, 0, true).add(5, 9, false);
        budget.register(h);
        budget.fit();
        assertEquals(50, budget.used(), "the idle one went; the busy one stays");
        assertTrue(h.items.stream().allMatch(i -> i[2] == 1));
    }

    @Test
    void aDecayedDemandCountsLessThanAFreshOne() throws Exception {
        Demand d = new Demand();
        assertEquals(1, d.use(), 1e-6);
        assertEquals(2, d.use(), 1e-3);
        assertTrue(d.now() <= 2 && d.now() > 1.99);
    }

    @Test
    void aNewInvestmentThatFitsIsAlwaysAdmitted() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.register(new Holder().add(60, 5, false));
        assertTrue(budget.admits(40, 0.001));
        assertEquals(0, budget.stats().refused());
    }

    @Test
    void overTheLimitANewInvestmentMustBeWorthTwiceWhatItWouldPushOut() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.register(new Holder().add(50, 1, false).add(40, 3, false));
        assertFalse(budget.admits(30, 1), "worth what the cheapest is worth: the one there stays");
        assertFalse(budget.admits(30, 2), "twice is not more than twice");
        assertTrue(budget.admits(30, 2.5));
        assertEquals(1, budget.stats().admitted());
        assertEquals(2, budget.stats().refused());
    }

    @Test
    void nothingToGiveUpMeansNothingNewOverTheLimit() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.register(new Holder().add(90, 1, true));
        assertFalse(budget.admits(30, 1000), "everything held is in use");
    }
}
