package org.vellum.dspace;

import java.util.UUID;

/**
 * One bitstream as the database describes it, with the facts access decisions need, computed in the same query.
 *
 * @param servable         not deleted, in an archived item that is neither withdrawn nor private (non-discoverable)
 * @param anonymousReadable DSpace's Anonymous group holds a READ policy in force today on both the item and the
 *                          bitstream
 */
public record BitstreamRecord(UUID uuid, String internalId, int storeNumber, long sizeBytes, String checksum,
                              boolean servable, boolean anonymousReadable) {
}
