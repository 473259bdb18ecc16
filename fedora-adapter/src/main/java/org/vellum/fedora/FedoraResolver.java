package org.vellum.fedora;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.HealthCheck;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

import com.fasterxml.jackson.core.JacksonException;

/**
 * Fedora 6 binaries served straight from Fedora's OCFL storage root, read only: the identifier (resource URI, path
 * below the REST root, {@code info:fedora/...} id or a prefixed front-end URL) becomes Fedora's id, the id its OCFL
 * object (its own or its Archival Group's), the object's current inventory (mutable head first) the binary's content
 * file through logical path, digest and manifest. Tombstones, external content and anything that is not a JPEG 2000
 * by its first bytes are not found. Access is Fedora's WebAC for the public, the front end's word (trust), or Fedora's
 * own answer to the caller's credentials (forward); whatever is not public is served as personal.
 */
public final class FedoraResolver implements ImageResolver, HealthCheck, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FedoraResolver.class);

    private final FedoraSettings settings;
    private final FedoraStore store;
    private final WebAc webac;
    /** where no ACL applies (FEDORA_ACCESS=webac) */
    private final RootAuthorization root;
    private final FedoraForward forward;
    /** without a storage root: the binaries fetched through the REST API */
    private final FedoraFetch fetch;
    /** run once between reading a binary's inventory and looking for its file (tests: Fedora writes meanwhile) */
    private final AtomicReference<Runnable> afterLookup = new AtomicReference<>();
    /** containers as books (from the storage root only) */
    private final FedoraObjects objects;
    /** content file to the fingerprint it had when its JPEG 2000 signature was checked */
    private final Map<Path, String> verified = new ConcurrentHashMap<>();

    /**
     * Opens the storage root the settings name.
     *
     * @throws IOException when it is not a readable OCFL storage root with Fedora's layout
     */
    public static FedoraResolver create(FedoraSettings settings) throws IOException {
        return new FedoraResolver(settings, FedoraFetch.CHUNK);
    }

    /** With range requests of {@code chunk} bytes when fetching (tests). */
    static FedoraResolver create(FedoraSettings settings, int chunk) throws IOException {
        return new FedoraResolver(settings, chunk);
    }

    private FedoraResolver(FedoraSettings settings, int chunk) throws IOException {
        this.settings = settings;
        this.store = settings.fetches() ? null
                : new FedoraStore(new OcflStorage(settings.ocflRoot(), settings.cacheSize()));
        boolean decidesByWebAc = store != null && settings.access() == FedoraSettings.Access.WEBAC;
        if (settings.rootAuthorization() != null && !decidesByWebAc) {
            LOG.warn("FEDORA_WEBAC_AUTHORIZATION is not read: {}", store == null
                    ? "without a storage root Fedora itself decides" : "FEDORA_ACCESS is not webac");
        }
        this.root = settings.rootAuthorization() == null || !decidesByWebAc
                ? RootAuthorization.builtIn(settings.rootPublic()) : RootAuthorization.of(settings.rootAuthorization());
        this.webac = store == null ? null : new WebAc(store, root);
        this.forward = settings.access() == FedoraSettings.Access.FORWARD || settings.fetches()
                ? new FedoraForward(settings.restUrl(), settings.forwardTtl(), settings.cacheSize()) : null;
        this.fetch = settings.fetches() ? new FedoraFetch(settings.fetchDir(), settings.fetchBytes(),
                forward.client(), chunk) : null;
        this.objects = store == null ? null : new FedoraObjects(store,
                new FedoraContainment(store.storage(), System::nanoTime));
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ResolverException {
        return resolve(identifier, null);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller caller) throws ImageNotFoundException,
            ResolverException {
        String id = FedoraIdentifier.parse(identifier, settings.restUrl(), settings.prefixes());
        if (fetch != null) return fetched(id, identifier, caller);
        try {
            FedoraResource binary = binary(id, identifier);
            Runnable pause = afterLookup.getAndSet(null);
            if (pause != null) pause.run();
            Path file = store.storage().file(binary.object(), binary.contentPath());
            if (file == null) {
                // the inventory was read before a mutable head was committed (its files moved): read it again
                binary = binary(id, identifier);
                file = store.storage().file(binary.object(), binary.contentPath());
                if (file == null) {
                    LOG.warn("Fedora binary {}: no file for {} in OCFL object {}", id, binary.contentPath(),
                            binary.object().root());
                    throw notFound(identifier);
                }
            }
            boolean personal = authorize(binary, caller, identifier);
            Path real = file.toRealPath();
            if (!real.startsWith(store.storage().root())) {
                LOG.warn("Fedora binary {}: {} leads outside the OCFL storage root", id, file);
                throw notFound(identifier);
            }
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            ResolvedImage image = new ResolvedImage(identifier, real, a.lastModifiedTime().toMillis(), a.size(),
                    personal);
            if (!image.fingerprint().equals(verified.get(real))) {
                if (!Jp2Magic.isJpeg2000(real)) throw new ImageNotFoundException(identifier + " is not a JPEG 2000");
                if (verified.size() > settings.cacheSize()) verified.clear();
                verified.put(real, image.fingerprint());
            }
            return image;
        } catch (JacksonException e) {
            LOG.warn("Fedora resource {}: unreadable JSON in its OCFL object: {}", id, e.getOriginalMessage());
            throw notFound(identifier);
        } catch (java.nio.file.NoSuchFileException e) {
            throw notFound(identifier);
        } catch (RootAuthorization.Unreadable e) {
            LOG.warn("Fedora resource {}: {}", id, e.getMessage());
            throw new ResolverException(503, "Fedora's root authorization cannot be read");
        } catch (IOException e) {
            LOG.warn("Fedora resource {}: {}", id, e.toString());
            throw new ResolverException(503, "Fedora's storage cannot be read");
        }
    }

    /**
     * A container (an Archival Group, or any container with JPEG 2000 binaries among its children) as a book, with the
     * pages this caller may read ({@link FedoraObjects}); identifiers in every form {@link #resolve} takes.
     */
    @Override
    public ImageObject object(String identifier, Caller caller) throws ImageNotFoundException, ResolverException {
        String id = FedoraIdentifier.parse(identifier, settings.restUrl(), settings.prefixes());
        if (objects == null) {
            throw new ImageNotFoundException(identifier + ": Fedora objects are answered from a storage root only");
        }
        try {
            return objects.object(identifier, id, caller, new FedoraObjects.Access() {
                @Override
                public ResolvedImage page(String page, Caller c) throws ImageNotFoundException, ResolverException {
                    return resolve(page, c);
                }

                @Override
                public boolean container(FedoraResource container, Caller c, String name) throws IOException,
                        ResolverException, ImageNotFoundException {
                    return authorize(container, c, name);
                }
            });
        } catch (JacksonException e) {
            LOG.warn("Fedora resource {}: unreadable JSON in its OCFL object: {}", id, e.getOriginalMessage());
            throw notFound(identifier);
        } catch (java.nio.file.NoSuchFileException e) {
            throw notFound(identifier);
        } catch (IOException e) {
            LOG.warn("Fedora resource {}: {}", id, e.toString());
            throw new ResolverException(503, "Fedora's storage cannot be read");
        }
    }

    /**
     * Without a storage root: Fedora is asked (HEAD) with the caller's credentials (forward), Vellum's own (trust) or
     * none (webac: what the public may read), and the version it names is served from the fetch folder.
     */
    private ResolvedImage fetched(String id, String identifier, Caller caller) throws ImageNotFoundException,
            ResolverException {
        String callers = caller == null ? null : caller.header("Authorization");
        String authorization = switch (settings.access()) {
            case FORWARD -> callers;
            case TRUST -> settings.restAuthorization().isEmpty() ? null : settings.restAuthorization();
            case WEBAC -> null;
        };
        FedoraForward.Answer head = forward.head(id, authorization);
        switch (head.status()) {
            case 200, 204 -> {
            }
            case 401 -> throw new ResolverException(401, "Fedora needs credentials for " + id);
            case 403 -> throw new ResolverException(403, "Fedora does not let this caller read " + id);
            case 404, 410 -> throw notFound(identifier);
            case 503 -> throw new ResolverException(503, "Fedora is unreachable");
            default -> throw new ResolverException(403, "Fedora answered " + head.status() + " for " + id);
        }
        Path file;
        try {
            file = fetch.get(forward.uri(id), id, head, authorization);
        } catch (ResolverException e) {
            forward.forget(id, authorization);         // its version may have changed: ask again next time
            throw e;
        }
        boolean personal = settings.access() == FedoraSettings.Access.TRUST
                || settings.access() == FedoraSettings.Access.FORWARD && callers != null;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new ResolvedImage(identifier, file, a.lastModifiedTime().toMillis(), a.size(), personal);
        } catch (IOException e) {
            throw new ResolverException(503, "Fetched copy of " + id + " vanished");   // evicted meanwhile
        }
    }

    /** The binary with this id that has its content in OCFL; not found for anything else. */
    private FedoraResource binary(String id, String identifier) throws IOException, ImageNotFoundException {
        FedoraResource r = store.find(id);
        if (r == null || r.deleted() || !r.binary()) throw notFound(identifier);
        if (r.external()) {
            LOG.debug("Fedora binary {} is external content ({}): not served", id, r.header().path("externalUrl"));
            throw notFound(identifier);
        }
        if (r.contentPath() == null) throw notFound(identifier);
        return r;
    }

    /** Whether the answer is personal; throws when the caller may not have it. */
    private boolean authorize(FedoraResource binary, Caller caller, String identifier) throws IOException,
            ResolverException, ImageNotFoundException {
        switch (settings.access()) {
            case TRUST -> {
                return true;          // the front end decided; Vellum cannot tell public from restricted
            }
            case WEBAC -> {
                if (webac.publicRead(binary)) return false;
                throw new ResolverException(403, "Fedora's WebAC does not let the public read " + binary.id());
            }
            default -> {
                String authorization = caller == null ? null : caller.header("Authorization");
                int status = forward.status(binary.id(), authorization);
                switch (status) {
                    case 200, 204 -> {
                        return authorization != null;
                    }
                    case 401 -> throw new ResolverException(401, "Fedora needs credentials for " + binary.id());
                    case 403 -> throw new ResolverException(403, "Fedora does not let this caller read " + binary.id());
                    case 404, 410 -> throw notFound(identifier);
                    case 503 -> throw new ResolverException(503, "Fedora is unreachable");
                    default -> throw new ResolverException(403, "Fedora answered " + status + " for " + binary.id());
                }
            }
        }
    }

    private static ImageNotFoundException notFound(String identifier) {
        return new ImageNotFoundException("No JPEG 2000 binary in Fedora: " + identifier);
    }

    /**
     * Runs {@code writer} once, in the next resolution from disk, after the binary's inventory was read and before its
     * content file is looked for: the window in which Fedora can commit a mutable head or delete the binary (tests).
     */
    void onceAfterLookup(Runnable writer) {
        afterLookup.set(writer);
    }

    /** Inventories read from disk so far (for tests: the rest came from memory). */
    long inventoryReads() {
        return store.storage().inventoryReads();
    }

    /** Bytes held in the fetch folder (tests). */
    long fetchedBytes() {
        return fetch == null ? 0 : fetch.totalBytes();
    }

    /** {@code fedora-storage} with a storage root on disk, {@code fedora-rest} when fetching through the REST API. */
    @Override
    public String name() {
        return settings.fetches() ? "fedora-rest" : "fedora-storage";
    }

    /**
     * The storage root is still a readable folder with Fedora's layout file (the shares it lives on can go away), and
     * a root authorization file is still readable Turtle;
     * when fetching, Fedora's REST root answers a HEAD within two seconds with anything but a 5xx (401 and 403 say it
     * is up).
     */
    @Override
    public void check() throws Exception {
        if (!settings.fetches()) {
            if (settings.access() == FedoraSettings.Access.WEBAC) root.authorizations();
            Path root = settings.ocflRoot();
            if (!Files.isDirectory(root) || !Files.isReadable(root)) {
                throw new IOException("the OCFL storage root is not a readable folder");
            }
            if (!Files.isReadable(root.resolve("ocfl_layout.json"))) {
                throw new IOException("the OCFL storage root has no readable ocfl_layout.json");
            }
            return;
        }
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(
                        URI.create(settings.restUrl() + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() >= 500) throw new IOException("Fedora's REST root answered " + r.statusCode());
    }


    /** Also lets go of the JDK's record method cache, which would keep this adapter's class loader (Java 17). */
    @Override
    public void close() {
        verified.clear();
        RecordMethodCache.forgetOurRecords();
    }
}
