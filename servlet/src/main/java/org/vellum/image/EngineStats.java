package org.vellum.image;

import org.vellum.cache.OutputCache;
import org.vellum.memory.MemoryBudget;
import org.vellum.pool.PoolStats;

/**
 * A snapshot of what the engine holds and has done ({@link ImageEngine#stats()}).
 *
 * @param pool   open decoders and their use
 * @param budget the memory bound all investments share, what they use now and what was given up for it
 * @param levels whole decoded levels kept
 * @param plans  how decodes were made (the planner's choices)
 * @param output   the cache of encoded images
 * @param failures decodes that failed, by why
 */
public record EngineStats(PoolStats pool, MemoryBudget.Stats budget, Levels levels, Plans plans,
                          OutputCache.Stats output, Failures failures) {

    /**
     * Decodes that failed, by class: {@code file} OpenJPEG could not read the file (damaged, truncated, not JPEG
     * 2000, or no decoder free in time), {@code decodeLimit} the request needs more than MAX_DECODE_PIXELS,
     * {@code region} the region does not fit the image, {@code internal} anything else (a bug).
     */
    public record Failures(long file, long decodeLimit, long region, long internal) {
    }

    /** @param dropped levels given up (for LEVEL_CACHE_SIZE or the budget) */
    public record Levels(int kept, long bytes, long hits, long decoded, long dropped) {
    }

    /**
     * @param windows     decodes with a decoder of their own, closed after
     * @param kept        decodes with a decoder kept open
     * @param wholeLevels decisions to decode a level whole
     * @param split       decodes by a decoder of a quarter of a level
     * @param refused     of the windows, those that would have kept a decoder had it not pushed out a more valuable
     *                    investment
     */
    public record Plans(long windows, long kept, long wholeLevels, long split, long refused) {
    }
}
