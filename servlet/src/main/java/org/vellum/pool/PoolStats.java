package org.vellum.pool;

/** A snapshot of the decoder pool's figures. */
public record PoolStats(int active, int idle, long created, long destroyed, long borrowed, long waits,
                        long invalidated) {
}
