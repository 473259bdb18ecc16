package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.fedora.FedoraEndToEndTest.iiif;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fcrepo.storage.ocfl.CommitType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.fedora.FedoraSample.Served;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * Islandora's unversioned writes leave binaries in an OCFL mutable head, whose content moves into a new version
 * directory when Fedora commits the head. A request that read the head's inventory just before the commit finds its
 * content path gone: it is resolved again, so the caller gets the binary from its new place (or 404, had the binary
 * been deleted meanwhile). Fedora's own storage library writes in exactly that window.
 */
class FedoraMutableHeadTest {
    private static final Served DRAFT = new Served("drafts/moving.jp2", 330, 250);
    private static final String TILE = "/64,32,128,96/max/0/default.png";

    private static FedoraFixture draftRepository(Path tmp) {
        try {
            FedoraFixture f = new FedoraFixture(tmp);
            f.repositoryRoot();
            f.container(FedoraSample.id("drafts"), FedoraFixture.ROOT);
            f.binary(DRAFT.id(), FedoraSample.id("drafts"), FedoraFixture.jp2(DRAFT.width(), DRAFT.height(),
                    tmp.resolve("scratch")), "image/jp2", CommitType.UNVERSIONED);
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FedoraResolver resolver(FedoraFixture f) throws Exception {
        return FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT",
                f.ocflRoot().toString())));
    }

    @Test
    void aContentPathMovedByAHeadCommitDuringResolutionIsResolvedAgain(@TempDir Path tmp) throws Exception {
        try (FedoraFixture fedora = draftRepository(tmp);
             FedoraResolver resolver = resolver(fedora);
             Http http = new Http(Settings.defaults(), resolver)) {
            Path inHead = resolver.resolve(DRAFT.path()).path();
            assertTrue(inHead.toString().contains("extensions/0005-mutable-head/head/content/"), inHead.toString());

            AtomicBoolean moved = new AtomicBoolean();
            resolver.onceAfterLookup(() -> {
                fedora.commitMutableHead(DRAFT.id());
                moved.set(!Files.exists(inHead));
            });
            HttpResponse<byte[]> r = http.get("/iiif/3/" + iiif(DRAFT.path()) + TILE);
            assertTrue(moved.get(), "the commit ran between the inventory's reading and the file's lookup, and "
                    + "moved the content out of the head");
            assertEquals(200, r.statusCode(), text(r));
            BufferedImage tile = Fixtures.decode(r.body());
            BufferedImage expected = Fixtures.colourGrid(DRAFT.width(), DRAFT.height()).getSubimage(64, 32,
                    tile.getWidth(), tile.getHeight());
            assertTrue(Fixtures.meanError(expected, tile) < 1, "the tile has the binary's pixels");

            Path committed = resolver.resolve(DRAFT.path()).path();
            assertFalse(committed.toString().contains("0005-mutable-head"), committed.toString());
            assertTrue(committed.toString().matches(".*/v\\d+/content/.*"), committed.toString());
        }
    }

    @Test
    void aBinaryDeletedDuringResolutionIsNotFound(@TempDir Path tmp) throws Exception {
        try (FedoraFixture fedora = draftRepository(tmp);
             FedoraResolver resolver = resolver(fedora);
             Http http = new Http(Settings.defaults(), resolver)) {
            Path inHead = resolver.resolve(DRAFT.path()).path();
            assertEquals(200, http.get("/iiif/3/" + iiif(DRAFT.path()) + TILE).statusCode());

            AtomicBoolean deleted = new AtomicBoolean();
            resolver.onceAfterLookup(() -> {
                fedora.tombstone(DRAFT.id(), CommitType.UNVERSIONED);
                deleted.set(!Files.exists(inHead));
            });
            HttpResponse<byte[]> r = http.get("/iiif/3/" + iiif(DRAFT.path()) + TILE);
            assertTrue(deleted.get(), "the deletion ran in the window and took the content file away");
            assertEquals(404, r.statusCode(), text(r));
            assertEquals(404, http.get("/iiif/3/" + iiif(DRAFT.path()) + "/info.json").statusCode());
        }
    }
}
