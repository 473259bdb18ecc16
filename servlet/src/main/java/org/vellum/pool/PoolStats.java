package org.vellum.pool;

/**
 * A snapshot of the decoder pool's figures.
 *
 * @param active      decoders in use now
 * @param idle        decoders open and kept for the next request
 * @param waits       requests that had to wait for a decoder or a decode slot, so far
 * @param waiting     requests waiting for a decoder now
 * @param nativeBytes native memory the open decoders hold, estimated ({@code Jp2Reader.nativeBytes()})
 */
public record PoolStats(int active, int idle, long created, long destroyed, long borrowed, long waits,
                        long invalidated, long nativeBytes, int waiting) {
}
