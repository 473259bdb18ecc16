package org.vellum.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The viewer page at {@code /} and the WebJar files under {@code /webjars/} (OpenSeadragon), read from the class path.
 * The page is told which image to show by the {@code image} query parameter, defaulting to the configured demo.
 */
public final class StaticServlet extends HttpServlet {
    private static final Map<String, String> TYPES = Map.of("js", "application/javascript", "css", "text/css",
            "png", "image/png", "html", "text/html; charset=utf-8", "map", "application/json", "svg", "image/svg+xml");
    private final String defaultImage;

    public StaticServlet(String defaultImage) {
        this.defaultImage = defaultImage;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (path.equals("/") || path.equals("/index.html")) {
            try (InputStream in = getClass().getResourceAsStream("/org/vellum/viewer/index.html")) {
                String page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("@DEFAULT_IMAGE@", defaultImage.replace("\"", "").replace("<", ""));
                resp.setContentType("text/html; charset=utf-8");
                resp.getOutputStream().write(page.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return;
        }
        if (path.startsWith("/webjars/") && !path.contains("..")) {
            try (InputStream in = getClass().getResourceAsStream("/META-INF/resources" + path)) {
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
