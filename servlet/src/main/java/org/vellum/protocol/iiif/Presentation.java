package org.vellum.protocol.iiif;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.ImageObject;
import org.vellum.api.ResolvedImage;
import org.vellum.image.ImageException;
import org.vellum.image.Dimension;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.ImageService;
import org.vellum.pipeline.Query;
import org.vellum.pipeline.Representation;

/**
 * IIIF Presentation API 3.0 for objects of several images: {@code <object>/manifest} is a Manifest with a Canvas per
 * page (its size, one painting annotation with our Image API 3 service, a thumbnail), {@code <object>/collection} a
 * Collection of the object's members. The object is whatever the resolver calls one (a folder, a repository item);
 * the ids start from the same base as the Image API's. Page sizes are kept per object version, so a large book's
 * manifest costs one listing and one JSON rendering once it has been asked for.
 */
public final class Presentation {
    public static final String CONTEXT = "http://iiif.io/api/presentation/3/context.json";
    private static final Logger LOG = LoggerFactory.getLogger(Presentation.class);
    private static final int KEPT_OBJECTS = 256;
    /** Page sizes by file version: about 100 bytes each, so 20 books of 1000 pages cost 2 MB. */
    private static final int KEPT_SIZES = 20_000;
    private static final int THUMBNAIL = 256;
    /** Books of fewer pages are sized on the request's thread alone. */
    private static final int PARALLEL_FROM = 32;
    /** Threads sizing one book's pages at most, whatever the core count. */
    private static final int MAX_THREADS = 8;

    private record Sized(String version, List<Canvas> canvases) {
    }

    private record Canvas(ImageObject.Page page, int width, int height) {
    }

    private record PageSize(int width, int height) {
    }

    private final ImageService service;
    private final Map<String, Sized> sized = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sized> eldest) {
            return size() > KEPT_OBJECTS;
        }
    };

    private final Map<String, PageSize> sizes = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PageSize> eldest) {
            return size() > KEPT_SIZES;
        }
    };

    public Presentation(ImageService service) {
        this.service = service;
    }

    /**
     * @param rawPath the path after {@code <prefix>/presentation/}, still URL-encoded: {@code [<object>/]manifest} or
     *                {@code [<object>/]collection}
     * @param base    the public URI of the IIIF prefix, {@code scheme://host/prefix}
     */
    public Answer handle(String rawPath, String base, Caller caller) {
        String[] segments = rawPath.split("/", -1);
        String document = segments[segments.length - 1];
        if (!document.equals("manifest") && !document.equals("collection")) {
            return service.policy().render(IiifHandler.failure(404,
                    "Presentation documents are <object>/manifest and <object>/collection"), caller);
        }
        StringBuilder id = new StringBuilder();
        try {
            for (int i = 0; i < segments.length - 1; i++) {
                if (segments[i].isEmpty()) continue;
                if (!id.isEmpty()) id.append('/');
                id.append(IiifRequest.decode(segments[i]));
            }
        } catch (IiifException e) {
            return service.policy().render(IiifHandler.failure(e.status(), e.getMessage()), caller);
        }
        String identifier = id.toString();
        String accept = caller == null ? null : caller.header("Accept");
        boolean ld = accept != null && accept.contains("application/ld+json");
        String type = ld ? "application/ld+json;profile=\"" + CONTEXT + "\"" : "application/json";
        Query query = new Query(identifier, "presentation3:" + document + "|" + base + "|" + type, List.of("Accept"));
        boolean manifest = document.equals("manifest");
        return service.serveObject(query, caller, object -> {
            Map<String, Object> doc = manifest ? manifest(object, base, caller) : collection(object, base);
            return Representation.ok(type, Json.write(doc).getBytes(StandardCharsets.UTF_8));
        }, e -> IiifHandler.failure(e.status(), e.getMessage()));
    }

    /** The public URI of an object's document. */
    static String documentId(String base, String identifier, String document) {
        StringBuilder b = new StringBuilder(base).append("/presentation/");
        if (!identifier.isEmpty()) {
            for (String segment : identifier.split("/")) b.append(IiifRequest.encode(segment)).append('/');
        }
        return b.append(document).toString();
    }

    private Map<String, Object> manifest(ImageObject object, String base, Caller caller) throws ImageException {
        List<Canvas> canvases = canvases(object, caller);
        if (canvases.isEmpty()) throw new ImageException(404, object.identifier() + " has no pages");
        String id = documentId(base, object.identifier(), "manifest");
        String canvasBase = id.substring(0, id.length() - "manifest".length()) + "canvas/";
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@context", CONTEXT);
        doc.put("id", id);
        doc.put("type", "Manifest");
        doc.put("label", language(object.label()));
        describe(doc, object.description());
        doc.put("thumbnail", List.of(thumbnail(imageService(base, canvases.get(0).page().identifier()))));
        List<Object> items = new ArrayList<>(canvases.size());
        for (int i = 0; i < canvases.size(); i++) {
            items.add(canvas(canvases.get(i), i + 1, canvasBase + (i + 1), base));
        }
        doc.put("items", items);
        return doc;
    }

    private static Map<String, Object> canvas(Canvas c, int number, String id, String base) {
        String image = imageService(base, c.page().identifier());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", image + "/full/max/0/default.jpg");
        body.put("type", "Image");
        body.put("format", "image/jpeg");
        body.put("width", c.width());
        body.put("height", c.height());
        body.put("service", List.of(service(image)));
        Map<String, Object> annotation = new LinkedHashMap<>();
        annotation.put("id", id + "/annotation/1");
        annotation.put("type", "Annotation");
        annotation.put("motivation", "painting");
        annotation.put("body", body);
        annotation.put("target", id);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("id", id + "/page/1");
        page.put("type", "AnnotationPage");
        page.put("items", List.of(annotation));
        Map<String, Object> canvas = new LinkedHashMap<>();
        canvas.put("id", id);
        canvas.put("type", "Canvas");
        canvas.put("label", language(c.page().label() != null ? c.page().label() : String.valueOf(number)));
        canvas.put("width", c.width());
        canvas.put("height", c.height());
        canvas.put("thumbnail", List.of(thumbnail(image)));
        canvas.put("items", List.of(page));
        return canvas;
    }

    private Map<String, Object> collection(ImageObject object, String base) throws ImageException {
        if (object.members().isEmpty()) throw new ImageException(404, object.identifier() + " has no members");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@context", CONTEXT);
        doc.put("id", documentId(base, object.identifier(), "collection"));
        doc.put("type", "Collection");
        doc.put("label", language(object.label()));
        describe(doc, object.description());
        List<Object> items = new ArrayList<>();
        for (ImageObject.Member m : object.members()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", documentId(base, m.identifier(), m.collection() ? "collection" : "manifest"));
            item.put("type", m.collection() ? "Collection" : "Manifest");
            item.put("label", language(m.label()));
            items.add(item);
        }
        doc.put("items", items);
        return doc;
    }

    private static void describe(Map<String, Object> doc, ImageObject.Description d) {
        if (d.summary() != null) doc.put("summary", language(d.summary()));
        if (!d.metadata().isEmpty()) {
            List<Object> fields = new ArrayList<>();
            for (ImageObject.Field f : d.metadata()) fields.add(pair(f.label(), f.value()));
            doc.put("metadata", fields);
        }
        if (d.attribution() != null) doc.put("requiredStatement", pair("Attribution", d.attribution()));
        if (d.rights() != null) doc.put("rights", d.rights());
        if (d.viewingDirection() != null) doc.put("viewingDirection", d.viewingDirection());
        if (d.paged()) doc.put("behavior", List.of("paged"));
    }

    /**
     * Each page with its size, in the object's order; kept per object version unless the object is the caller's own
     * (then only the engine's per-file header cache serves). A page whose header cannot be read is left out, logged.
     */
    private List<Canvas> canvases(ImageObject object, Caller caller) throws ImageException {
        String key = object.identifier();
        if (!object.personal()) {
            synchronized (sized) {
                Sized s = sized.get(key);
                if (s != null && s.version().equals(object.version())) return s.canvases();
            }
        }
        List<ImageObject.Page> pages = object.pages();
        Object[] measured = new Object[pages.size()];       // each page's Canvas, or the ImageException it gave
        // the request's headers are read one thread at a time: the servlet container's request is not thread-safe
        Caller shared = caller == null ? null : new Caller(caller.method(), name -> {
            synchronized (measured) {
                return caller.header(name);
            }
        }, caller.baseUri(), caller.requestUri());
        IntConsumer measure = i -> {
            ImageObject.Page page = pages.get(i);
            try {
                PageSize size = size(service.resolve(page.identifier(), shared));
                measured[i] = new Canvas(page, size.width(), size.height());
            } catch (ImageException e) {
                measured[i] = e;
            } catch (RuntimeException e) {
                LOG.error("Sizing page {} of {}", page.identifier(), object.identifier(), e);
                measured[i] = new ImageException(500, "Page " + page.identifier() + " could not be sized");
            }
        };
        if (pages.size() < PARALLEL_FROM) {
            for (int i = 0; i < pages.size(); i++) measure.accept(i);
        } else {
            inParallel(pages.size(), measure);
        }
        List<Canvas> canvases = new ArrayList<>(pages.size());
        for (int i = 0; i < measured.length; i++) {
            if (measured[i] instanceof Canvas c) {
                canvases.add(c);
            } else {
                ImageException e = (ImageException) measured[i];
                if (e.status() == 503) throw e;        // the repository is away: no manifest rather than a short one
                LOG.warn("Page {} of {} left out of its manifest: {} {}", pages.get(i).identifier(),
                        object.identifier(), e.status(), e.getMessage());
            }
        }
        List<Canvas> kept = List.copyOf(canvases);
        if (!object.personal()) {
            synchronized (sized) {
                sized.put(key, new Sized(object.version(), kept));
            }
        }
        return kept;
    }

    /**
     * Runs {@code work} for 0 .. n-1 on as many threads as the machine has cores (this one among them), each taking
     * the next index: resolving and reading the headers of a large book's pages is file system latency that overlaps.
     */
    private static void inParallel(int n, IntConsumer work) {
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) work.accept(i);
        };
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread helper = new Thread(loop, "vellum-manifest-" + t);
            helper.setDaemon(true);
            helper.start();
            helpers.add(helper);
        }
        loop.run();
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sizing pages", e);
            }
        }
    }

    /**
     * A page's size by its file version: once a folder changes, the pages that did not are not read again. Shared by
     * all callers, since the resolver has already decided that this caller may see the page. Read from the file's
     * boxes and SIZ marker, without opening a decoder.
     */
    private PageSize size(ResolvedImage image) throws ImageException {
        String key = image.path() + "@" + image.fingerprint();
        synchronized (sizes) {
            PageSize s = sizes.get(key);
            if (s != null) return s;
        }
        Dimension d = service.size(image);
        PageSize s = new PageSize(d.width(), d.height());
        synchronized (sizes) {
            sizes.put(key, s);
        }
        return s;
    }

    private static String imageService(String base, String identifier) {
        return base + "/" + IiifVersion.V3.number() + "/" + IiifRequest.encode(identifier);
    }

    private static Map<String, Object> service(String image) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", image);
        s.put("type", "ImageService3");
        s.put("profile", "level2");
        return s;
    }

    private static Map<String, Object> thumbnail(String image) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", image + "/full/!" + THUMBNAIL + "," + THUMBNAIL + "/0/default.jpg");
        t.put("type", "Image");
        t.put("format", "image/jpeg");
        t.put("service", List.of(service(image)));
        return t;
    }

    private static Map<String, Object> language(String text) {
        return Map.of("none", List.of(text));
    }

    private static Map<String, Object> pair(String label, String value) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("label", Map.of("en", List.of(label)));
        p.put("value", language(value));
        return p;
    }
}
