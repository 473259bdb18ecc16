package org.vellum.dspace;

import java.util.UUID;

/**
 * One bitstream as the database describes it, with the facts access decisions need, computed in the same query.
 *
 * @param servable          not deleted: DSpace's own download (/content) checks nothing else about the bitstream or
 *                          its item (not discoverable, withdrawn or in a workspace: the READ policies decide)
 * @param anonymousReadable a READ policy on the bitstream in force today for DSpace's Anonymous group, or a group
 *                          Anonymous belongs to, as DSpace's AuthorizeServiceImpl counts it
 */
public record BitstreamRecord(UUID uuid, String internalId, int storeNumber, long sizeBytes, String checksum,
                              boolean servable, boolean anonymousReadable) {
}
