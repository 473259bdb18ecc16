package org.vellum.server;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.vellum.api.ImageResolver;
import org.vellum.config.Settings;
import org.vellum.http.Routes;
import org.vellum.source.FilesystemResolver;

/** The servlets on an embedded Jetty 12: what bin/vellum runs and what the HTTP tests start. */
public final class EmbeddedServer implements AutoCloseable {
    /**
     * IIIF identifiers carry slashes as %2F (and a literal % as %25); the resolver, not the URI parser, keeps paths
     * inside the image folder. IIIF 3's sizes start with a raw ^ ({@code full/^max/0/default.jpg}), which clients send
     * unencoded although RFC 3986 has no ^ in a path; Jetty 12 answers it with 400 unless it is allowed.
     */
    public static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("IIIF",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS);

    /**
     * NCSA combined (Apache's {@code %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"}), the time in GMT, then
     * the milliseconds the request took: what goaccess, awstats and most log shippers read as "combined" with a
     * trailing field.
     */
    public static final String REQUEST_LOG_FORMAT = "%{client}a - %u %{dd/MMM/yyyy:HH:mm:ss ZZZ|GMT}t \"%r\" %s %{CLF}O "
            + "\"%{Referer}i\" \"%{User-Agent}i\" %{ms}T";

    private final Server jetty;
    private final Vellum vellum;

    private EmbeddedServer(Server jetty, Vellum vellum) {
        this.jetty = jetty;
        this.vellum = vellum;
    }

    /** Starts on host:port (port 0 picks a free one) with the viewer page showing {@code defaultImage}. */
    public static EmbeddedServer start(Settings settings, String host, int port, String defaultImage) throws Exception {
        return start(settings, new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix(),
                settings.filenamePattern()),
                host, port, defaultImage);
    }

    /** The same with another resolver, e.g. a repository adapter's, in place of the image folder. */
    public static EmbeddedServer start(Settings settings, ImageResolver resolver, String host, int port,
                                       String defaultImage) throws Exception {
        Vellum vellum = new Vellum(settings, resolver);
        Server jetty = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);              // our protocols send their own Server header
        http.setUriCompliance(URI_COMPLIANCE);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        for (Routes.Route route : vellum.routes(defaultImage)) {
            ServletHolder holder = new ServletHolder(route.name(), route.servlet());
            for (String pattern : route.patterns()) context.addServlet(holder, pattern);
        }
        jetty.setHandler(context);
        if (!settings.requestLog().isBlank()) jetty.setRequestLog(requestLog(settings.requestLog().trim()));
        try {
            jetty.start();
        } catch (Exception e) {
            vellum.close();
            throw e;
        }
        return new EmbeddedServer(jetty, vellum);
    }

    /** Jetty's own request log, to REQUEST_LOG (a file, appended to; "-" for standard error). */
    private static CustomRequestLog requestLog(String file) {
        RequestLogWriter writer = file.equals("-") ? new RequestLogWriter() : new RequestLogWriter(file);
        writer.setAppend(true);
        writer.setTimeZone("GMT");
        return new CustomRequestLog(writer, REQUEST_LOG_FORMAT);
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Vellum vellum() {
        return vellum;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            vellum.close();
        }
    }
}
