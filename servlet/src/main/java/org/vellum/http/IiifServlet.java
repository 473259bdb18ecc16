package org.vellum.http;

import jakarta.servlet.http.HttpServletRequest;

import org.vellum.api.Caller;
import org.vellum.ops.VellumMetrics;
import org.vellum.config.Settings;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.pipeline.Representation;
import org.vellum.protocol.iiif.IiifHandler;
import org.vellum.protocol.iiif.IiifVersion;
import org.vellum.protocol.iiif.Presentation;

/**
 * {@code <prefix>/3/…} and {@code <prefix>/2/…} (Image API), {@code <prefix>/presentation/…} (manifests). Takes the path still encoded, so the handler decodes each segment
 * exactly once. Ids start from BASE_URL when it is set, else from the address the client used (after
 * X-Forwarded-Proto/-Host and Forwarded).
 */
public final class IiifServlet extends ProtocolServlet {
    private final IiifHandler handler;
    private final Presentation presentation;
    private final Settings settings;
    private final HttpPolicy policy;

    public IiifServlet(IiifHandler handler, Presentation presentation, HttpPolicy policy, VellumMetrics metrics) {
        super("iiif", policy, metrics);
        this.handler = handler;
        this.presentation = presentation;
        this.policy = policy;
        this.settings = policy.settings();
    }

    @Override
    protected Answer answer(HttpServletRequest req, Caller caller) {
        String mount = req.getContextPath() + req.getServletPath();
        String uri = req.getRequestURI();
        String rest = uri.startsWith(mount) ? uri.substring(mount.length()) : "";
        if (rest.startsWith("/")) rest = rest.substring(1);
        int slash = rest.indexOf('/');
        String base = settings.baseUrl().isEmpty()
                ? caller.baseUri() + mount
                : settings.baseUrl().replaceAll("/+$", "") + req.getServletPath();
        if (slash > 0 && rest.substring(0, slash).equals("presentation")) {
            return presentation.handle(rest.substring(slash + 1), base, caller);
        }
        IiifVersion version = IiifVersion.of(slash < 0 ? rest : rest.substring(0, slash));
        if (version == null) {
            return policy.render(Representation.text(404, "text/plain; charset=utf-8",
                    "IIIF: Image API versions here are 2 and 3; manifests are under presentation/\n"), caller);
        }
        return handler.handle(version, slash < 0 ? "" : rest.substring(slash + 1), base + "/" + version.number(),
                caller);
    }

    /**
     * info.json (and the bare id, which redirects to it) is info; every image request is a region, since IIIF has no
     * tile requests of its own (a viewer's tiles are regions of the tile size).
     */
    @Override
    protected String kind(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String mount = req.getContextPath() + req.getServletPath();
        String rest = uri.startsWith(mount) ? uri.substring(mount.length()) : uri;
        return rest.endsWith("/info.json") || rest.chars().filter(c -> c == '/').count() < 4 ? INFO : REGION;
    }
}
