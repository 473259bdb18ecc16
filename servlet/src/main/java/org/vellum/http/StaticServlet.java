package org.vellum.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The reading room at {@code /} (the image folder's books, folders and images; a book view; a single image over IIP),
 * its files under {@code /viewer/} (the OpenSeadragon the build fetched from npm) and the WebJar files under
 * {@code /webjars/} (OpenSeadragon 2.4, when the build had no npm), read from the class path. The page is told what to
 * show by its query ({@code book}, {@code folder}, {@code image}), defaulting to the configured demo image.
 */
public final class StaticServlet extends HttpServlet {
    private static final java.util.regex.Pattern VIEWER_FILE =
            java.util.regex.Pattern.compile("/viewer/[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.of("js", "application/javascript", "css", "text/css",
            "png", "image/png", "html", "text/html; charset=utf-8", "map", "application/json", "svg", "image/svg+xml");
    private final String defaultImage;
    private final UriMap uriMap;
    private final IipServlet iip;
    private final String iiifPrefix;

    /** With a URI_MAP, mapped paths go to the IIP servlet (which also answers Zoomify and Deep Zoom commands). */
    public StaticServlet(String defaultImage, UriMap uriMap, IipServlet iip, String iiifPrefix) {
        this.iiifPrefix = iiifPrefix;
        this.defaultImage = defaultImage;
        this.uriMap = uriMap;
        this.iip = iip;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
            throws jakarta.servlet.ServletException, IOException {
        String query = uriMap == null ? null : uriMap.query(req.getRequestURI().substring(req.getContextPath().length()));
        if (query != null) {
            iip.answerMapped(req, resp, query);
            return;
        }
        super.service(req, resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (path.equals("/") || path.equals("/index.html")) {
            try (InputStream in = getClass().getResourceAsStream("/org/vellum/viewer/index.html")) {
                String page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("@DEFAULT_IMAGE@", defaultImage.replace("\"", "").replace("<", "").replace("\\", ""))
                        .replace("@IIIF@", iiifPrefix.replaceFirst("^/+", "").replace("\"", "").replace("<", ""));
                resp.setContentType("text/html; charset=utf-8");
                resp.getOutputStream().write(page.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return;
        }
        String resource = path.startsWith("/webjars/") && !path.contains("..") ? "/META-INF/resources" + path
                : VIEWER_FILE.matcher(path).matches() && !path.contains("..") ? "/org/vellum" + path : null;
        if (resource != null && !resource.endsWith(".class")) {
            try (InputStream in = getClass().getResourceAsStream(resource)) {
                if (in != null) {
                    String ext = path.substring(path.lastIndexOf('.') + 1);
                    resp.setContentType(TYPES.getOrDefault(ext, "application/octet-stream"));
                    resp.setHeader("Cache-Control", "max-age=86400");
                    in.transferTo(resp.getOutputStream());
                    return;
                }
            }
        }
        resp.sendError(404);
    }
}
