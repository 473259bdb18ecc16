package org.vellum.memory;

/**
 * How much something is being asked for now: a count of uses that halves every {@link #HALF_LIFE_NANOS}, so it
 * measures frequency and recency at once. Thread-safe.
 */
public final class Demand {
    /** Long enough to span a viewer's pauses between zooms, short enough that yesterday's image is forgotten. */
    public static final long HALF_LIFE_NANOS = 60_000_000_000L;
    /** See {@link #weight()}. */
    public static final double SATURATION = 8;

    private double count;
    private long at = System.nanoTime();

    /** Counts one use now; returns the count including it. */
    public synchronized double use() {
        count = decayed(System.nanoTime()) + 1;
        at = System.nanoTime();
        return count;
    }

    /**
     * The count as of now, at most {@link #SATURATION}: what weighs an investment. Past a few recent requests, more of
     * them do not make it likelier to be needed again before it would be made anew, so recency then decides, and a
     * file that was busy minutes ago does not outweigh the one being viewed now.
     */
    public double weight() {
        return Math.min(SATURATION, now());
    }

    /** The count as of now. */
    public synchronized double now() {
        return decayed(System.nanoTime());
    }

    private double decayed(long nanos) {
        long dt = nanos - at;
        return dt <= 0 ? count : count * Math.pow(0.5, (double) dt / HALF_LIFE_NANOS);
    }
}
