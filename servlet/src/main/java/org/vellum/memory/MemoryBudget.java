package org.vellum.memory;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound on the memory that every investment together holds: open decoders (native), whole decoded levels and
 * encoded images (heap). When they hold more than the limit, the investment that saves the least per byte is given
 * up first, whichever holder it belongs to: its value is what making it again would cost (measured) times how much
 * it is being asked for ({@link Demand#weight()}), divided by its bytes.
 */
public final class MemoryBudget {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryBudget.class);

    /** Something that holds investments under the budget. */
    public interface Holder {
        /** Bytes it holds now, in use or not. */
        long bytes();

        /** The investment it would give up first, or null when it can give up none now (all in use). */
        Investment cheapest();
    }

    /**
     * One investment a holder can give up.
     *
     * @param valuePerByte milliseconds of work saved per byte held, as explained in the class comment
     * @param dropper      gives it up; false if it could not be (taken into use meanwhile)
     */
    public record Investment(double valuePerByte, BooleanSupplier dropper) {
        boolean drop() {
            return dropper.getAsBoolean();
        }
    }

    /**
     * @param dropped  investments given up for the budget so far, {@code droppedBytes} their bytes
     * @param admitted investments {@link #admits admitted} although they did not fit, {@code refused} those not
     */
    public record Stats(long limit, long used, long dropped, long droppedBytes, long admitted, long refused) {
    }

    private final long limit;
    private final List<Holder> holders = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong admittedOverLimit = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public MemoryBudget(long limitBytes) {
        this.limit = limitBytes;
    }

    /** A budget that never gives anything up (tests, benchmarks). */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    public long limit() {
        return limit;
    }

    public void register(Holder holder) {
        holders.add(holder);
    }

    public void unregister(Holder holder) {
        holders.remove(holder);
    }

    public long used() {
        long sum = 0;
        for (Holder h : holders) sum += h.bytes();
        return sum;
    }

    /** What is left under the limit now (negative when over it). */
    public long free() {
        return limit == Long.MAX_VALUE ? Long.MAX_VALUE : limit - used();
    }

    /**
     * How many times the value per byte of the investment it would push out first a new one must have to be made
     * when it does not fit. Investments of about equal worth would otherwise keep swapping places, each swap paid
     * with a set-up; with 2, those already made stay while demands are alike (many images each asked for a little:
     * bench/many.sh at 12 and 40 images served 5-20 % more tiles than with 1), and a level being viewed now, whose
     * demand rises above the decayed demand of earlier ones, still gets in (at 4 images, 4 times cost 30 %).
     */
    static final double ADMISSION_MARGIN = 2;

    /**
     * Whether an investment of {@code bytes} that would save {@code valuePerByte} (as {@link Investment#valuePerByte})
     * should be made: yes while it fits, else only when it is worth {@link #ADMISSION_MARGIN} times the one it would
     * push out first. Without this, a new investment is always made and the least valuable one given up, so when many
     * images are asked for in turn, each one's investment pushes out another's before either is used again: all cost,
     * no saving.
     */
    public boolean admits(long bytes, double valuePerByte) {
        if (limit == Long.MAX_VALUE || free() >= bytes) return true;
        double least = Double.POSITIVE_INFINITY;
        for (Holder h : holders) {
            Investment i = h.cheapest();
            if (i != null) least = Math.min(least, i.valuePerByte());
        }
        boolean admitted = least != Double.POSITIVE_INFINITY && valuePerByte > ADMISSION_MARGIN * least;
        (admitted ? admittedOverLimit : refused).incrementAndGet();
        return admitted;
    }

    /**
     * Gives up the investments that save least per byte until everything fits or nothing more can be given up. Call it
     * after an investment was made, holding none of the holders' locks.
     */
    public void fit() {
        if (limit == Long.MAX_VALUE) return;
        synchronized (this) {
            for (int guard = 0; guard < 10_000; guard++) {
                long used = used();
                if (used <= limit) return;
                Investment least = null;
                double value = Double.POSITIVE_INFINITY;
                for (Holder h : holders) {
                    Investment i = h.cheapest();
                    if (i != null && (least == null || i.valuePerByte() < value)) {
                        least = i;
                        value = i.valuePerByte();
                    }
                }
                if (least == null || !least.drop()) return;
                long freed = Math.max(0, used - used());
                dropped.incrementAndGet();
                droppedBytes.addAndGet(freed);
                LOG.debug("memory budget: gave up an investment of {} KB ({} ms/MB saved) to fit {} MB", freed >> 10,
                        String.format("%.3g", value * (1 << 20)), limit >> 20);
            }
        }
    }

    public Stats stats() {
        return new Stats(limit, used(), dropped.get(), droppedBytes.get(), admittedOverLimit.get(), refused.get());
    }
}
