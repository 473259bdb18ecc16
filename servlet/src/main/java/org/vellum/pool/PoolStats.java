package org.vellum.pool;

/**
 * A snapshot of the decoder pool's figures.
 *
 * @param nativeBytes native memory the open decoders hold, estimated ({@code Jp2Reader.nativeBytes()})
 */
public record PoolStats(int active, int idle, long created, long destroyed, long borrowed, long waits,
                        long invalidated, long nativeBytes) {
}
