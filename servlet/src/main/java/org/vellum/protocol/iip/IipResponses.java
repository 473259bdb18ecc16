package org.vellum.protocol.iip;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.vellum.config.Settings;
import org.vellum.http.HttpDates;
import org.vellum.http.Response;
import org.vellum.image.ImageException;
import org.vellum.image.OutputFormat;
import org.vellum.source.ResolvedImage;

/**
 * The shapes of iipsrv 1.1's answers: header names, order and values, CRLF text bodies. Also used by Zoomify and
 * Deep Zoom, which iipsrv serves through the same code. One deliberate change throughout: CORS, when configured, is
 * sent on every response (1.1 forgets it on tiles, exports and XML).
 */
public final class IipResponses {
    public static final String SERVER = "Vellum/0.1";
    private static final String BANNER = "<html><head><title>IIPImage Server</title></head><body>"
            + "<h2>IIPImage Server</h2>This is a Vellum server speaking the IIP protocol.</body></html>";

    private final Settings settings;

    public IipResponses(Settings settings) {
        this.settings = settings;
    }

    private Response base(Response r) {
        return r.header("Server", SERVER);
    }

    private Response cors(Response r) {
        if (!settings.cors().isEmpty()) {
            r.header("Access-Control-Allow-Origin", settings.cors());
            r.header("Access-Control-Allow-Headers", "X-Requested-With");
        }
        return r;
    }

    private Response success(Response r) {
        return base(r).header("X-Powered-By", "IIPImage");
    }

    /** The HTML page an empty request gets (400, as 1.1 answers it). */
    public Response banner() {
        Response r = base(new Response(400, BANNER.getBytes(StandardCharsets.UTF_8)));
        r.header("Content-Type", "text/html");
        r.header("Content-Disposition", "inline;filename=\"iipsrv.html\"");
        return cors(r);
    }

    /** OBJ answer: the protocol line (or 1.1's empty first line), then one CRLF-ended line per object. */
    public Response objects(ResolvedImage image, String etag, boolean protocolLine, List<String> lines) {
        StringBuilder body = new StringBuilder(protocolLine ? "IIP:1.0" : "").append(IipProtocol.CRLF);
        for (String l : lines) body.append(l).append(IipProtocol.CRLF);
        Response r = success(new Response(200, body.toString().getBytes(StandardCharsets.US_ASCII)));
        r.header("Cache-Control", cacheControl(image));
        r.header("Last-Modified", IipProtocol.lastModified(image));
        r.header("ETag", etag);
        r.header("Content-Type", IipProtocol.NETFPX);
        return cors(r);
    }

    /** JTL: Content-Length, Last-Modified and Cache-Control, in 1.1's order. */
    public Response tile(ResolvedImage image, String etag, byte[] data, OutputFormat format) {
        Response r = success(new Response(200, data));
        r.header("Content-Type", format.mediaType());
        r.header("Content-Length", Integer.toString(data.length));
        r.header("Last-Modified", IipProtocol.lastModified(image));
        r.header("Cache-Control", cacheControl(image));
        r.header("ETag", etag);
        return cors(r);
    }

    /** TIL's multipart netfpx body. */
    public Response netfpx(ResolvedImage image, String etag, byte[] data) {
        Response r = success(new Response(200, data));
        r.header("Content-Type", IipProtocol.NETFPX);
        r.header("Last-Modified", IipProtocol.lastModified(image));
        r.header("Cache-Control", cacheControl(image));
        r.header("ETag", etag);
        return cors(r);
    }

    /** CVT: 1.1's headers, with Content-Disposition naming the image. */
    public Response export(ResolvedImage image, String etag, byte[] data, OutputFormat format) {
        Response r = success(new Response(200, data));
        r.header("Cache-Control", cacheControl(image));
        r.header("Last-Modified", IipProtocol.lastModified(image));
        r.header("Content-Type", format.mediaType());
        String name = image.identifier().replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) name = name.substring(0, dot);
        r.header("Content-Disposition", "inline;filename=\"" + name.replace("\"", "") + "." + format.extension() + "\"");
        r.header("ETag", etag);
        return cors(r);
    }

    /** XML and JSON answers (SPECTRA, PFL, Zoomify, Deep Zoom); 1.1 sends these without X-Powered-By. */
    public Response text(ResolvedImage image, String etag, String contentType, String body) {
        Response r = base(new Response(200, body.getBytes(StandardCharsets.UTF_8)));
        r.header("Cache-Control", cacheControl(image));
        r.header("Last-Modified", IipProtocol.lastModified(image));
        r.header("Content-Type", contentType);
        r.header("ETag", etag);
        return cors(r);
    }

    public Response notModified(ResolvedImage image, String etag) {
        Response r = base(new Response(304, null));
        r.header("Last-Modified", HttpDates.format(image.lastModified()));
        r.header("ETag", etag);
        r.header("Cache-Control", cacheControl(image));
        return cors(r);
    }

    /** iipsrv's error lines, one per error in order, each cut to 31 characters before its CRLF (1.1's buffer). */
    Response error(List<IipException> errors) {
        StringBuilder body = new StringBuilder();
        for (IipException e : errors) {
            String payload = e.code + " " + e.argument;
            String line = "Error/" + payload.length() + ":" + payload;
            body.append(line.length() > 31 ? line.substring(0, 31) : line).append(IipProtocol.CRLF);
        }
        Response r = base(new Response(400, body.toString().getBytes(StandardCharsets.UTF_8)));
        r.header("Cache-Control", "no-cache");
        r.header("Content-Type", IipProtocol.NETFPX);
        cors(r);
        r.header("Content-Disposition", "inline;filename=\"IIPisAMadGameClosedToOurUnderstanding.netfpx\"");
        return r;
    }

    /** A thrown file or argument error: the status and a plain message. */
    public Response failure(ImageException e) {
        Response r = base(new Response(e.status(), e.getMessage().getBytes(StandardCharsets.UTF_8)));
        r.header("Content-Type", "text/plain; charset=utf-8");   // 1.1 sends none; browsers then sniff
        if (e.status() == 401) r.header("WWW-Authenticate", "Bearer");   // a resolver wants the caller's credentials
        return cors(r);
    }

    /** An image served because of the caller's credentials must not be kept by a shared cache (null: no image, OBJ). */
    private String cacheControl(ResolvedImage image) {
        return image != null && image.personal() ? "private, " + settings.cacheControl() : settings.cacheControl();
    }
}
