package org.vellum.pipeline;

import java.util.Arrays;
import java.util.List;

import org.vellum.api.Caller;
import org.vellum.config.Settings;

/**
 * The one place that decides what every answer carries besides its body, whatever protocol rendered it: Server,
 * validators (Last-Modified, ETag), Cache-Control ({@code private} for an image served on the caller's credentials),
 * CORS, {@code Vary}, the 401 challenge, and the preflight answer to OPTIONS.
 *
 * <p>CORS (the CORS setting): {@code *} (the default) lets a viewer on any origin read public images; one origin is
 * sent as it is (iipsrv's behaviour); a comma-separated list echoes the request's Origin when it is listed. An answer
 * that exists only because of the caller's credentials never says {@code *}: it names the origin and allows
 * credentials, or carries no CORS header.
 */
public final class HttpPolicy {
    public static final String SERVER = "Vellum/0.1";
    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    private static final String PREFLIGHT_HEADERS =
            "X-Requested-With, Accept, Authorization, If-Modified-Since, If-None-Match";

    private final Settings settings;
    private final List<String> origins;

    public HttpPolicy(Settings settings) {
        this.settings = settings;
        this.origins = Arrays.stream(settings.cors().split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    }

    public Settings settings() {
        return settings;
    }

    /** A rendered answer about {@code subject} (null: none): validators and caching on a 200, CORS and Vary on all. */
    public Answer render(Subject subject, Representation r, Query query, Caller caller) {
        return render(subject == null ? null : subject.validated(), r, query, caller);
    }

    /** A rendered answer with these validators (null: none), e.g. a document made from several images. */
    public Answer render(Validated subject, Representation r, Query query, Caller caller) {
        Answer a = start(r.status(), r.body(), r.contentType());
        for (Header h : r.headers()) a.header(h.name(), h.value());
        boolean personal = subject != null && subject.personal();
        if (r.success() && subject != null) {
            validators(a, subject);
        } else if (r.success()) {
            a.header("Cache-Control", settings.cacheControl());     // OBJ=IIP-server and the like: no image
        } else if (r.noCache()) {
            a.header("Cache-Control", "no-cache");
        }
        if (r.status() == 401) a.header("WWW-Authenticate", "Bearer");   // a resolver wants the caller's credentials
        vary(a, query);
        cors(a, caller, personal, "X-Requested-With");
        return a;
    }

    /** An answer that names no image (banner, OBJ without FIF, errors before one was found). */
    public Answer render(Representation r, Caller caller) {
        return render((Validated) null, r, null, caller);
    }

    /** 304: the client's copy is current; the validators and caching it was given, again. */
    public Answer notModified(Subject subject, Query query, Caller caller) {
        return notModified(subject.validated(), query, caller);
    }

    public Answer notModified(Validated subject, Query query, Caller caller) {
        Answer a = start(304, null, null);
        validators(a, subject);
        vary(a, query);
        cors(a, caller, subject.personal(), "X-Requested-With");
        return a;
    }

    /** The answer to OPTIONS: the methods the endpoint takes and, when CORS is on, what a preflight asks. */
    public Answer preflight(String methods, Caller caller) {
        Answer a = new Answer(204, null).header("Allow", methods);
        if (cors(a, caller, false, PREFLIGHT_HEADERS)) {
            a.header("Access-Control-Allow-Methods", methods);
            a.header("Access-Control-Max-Age", "86400");
        }
        return a;
    }

    private static Answer start(int status, byte[] body, String contentType) {
        return new Answer(status, body).header("Server", SERVER).header("Content-Type", contentType);
    }

    private void validators(Answer a, Validated s) {
        a.header("Last-Modified", HttpDates.format(s.lastModified()));
        // an image served on the caller's credentials must stay in the caller's own cache
        a.header("Cache-Control", s.personal() ? "private, " + settings.cacheControl() : settings.cacheControl());
        a.header("ETag", s.etag());
    }

    private void vary(Answer a, Query query) {
        if (query != null && !query.vary().isEmpty()) a.header("Vary", String.join(", ", query.vary()));
    }

    /** True when CORS headers were added. */
    private boolean cors(Answer a, Caller caller, boolean personal, String allowHeaders) {
        if (origins.isEmpty()) return false;
        String origin = caller == null ? null : caller.header("Origin");
        String allowed;
        if (personal) {
            a.header("Vary", "Origin");
            if (origin == null || !origins.contains(origin)) return false;   // never * with credentials
            allowed = origin;
        } else if (origins.size() == 1) {
            allowed = origins.get(0);
        } else {
            a.header("Vary", "Origin");
            allowed = origins.contains("*") ? "*" : origins.contains(origin) ? origin : null;
            if (allowed == null) return false;
        }
        a.header(ALLOW_ORIGIN, allowed);
        a.header("Access-Control-Allow-Headers", allowHeaders);   // iipsrv sends X-Requested-With on answers too
        if (personal) a.header("Access-Control-Allow-Credentials", "true");
        return true;
    }
}
