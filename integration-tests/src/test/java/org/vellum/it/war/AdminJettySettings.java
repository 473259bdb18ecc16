package org.vellum.it.war;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * What docs/deployment.md tells a Jetty 12 admin to set for IIIF identifiers carrying {@code %2F}: URI compliance that
 * lets ambiguous path separators and encodings through on the connector, and ambiguous URIs decoded by the servlet
 * handler.
 * With Jetty's defaults such requests get "400 Ambiguous URI path separator" before Vellum sees them (seen here).
 */
public final class AdminJettySettings implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        // the Tomcat execution runs without the Jetty adapter on its class path
        if (getClass().getClassLoader().getResource(
                "org/jboss/arquillian/container/jetty/embedded_12_ee10/WebAppContextProcessor.class") == null) return;
        builder.service(WebAppContextProcessor.class, EncodedSlashes.class);
    }

    public static final class EncodedSlashes implements WebAppContextProcessor {
        @Override
        public void process(WebAppContext context, Archive<?> archive) {
            context.getServletHandler().setDecodeAmbiguousURIs(true);
            // the connectors are the server's; the server is known once the context starts
            context.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector connector : context.getServer().getConnectors()) {
                        HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                        if (http != null) {
                            http.getHttpConfiguration().setUriCompliance(UriCompliance.DEFAULT.with("IIIF identifiers",
                                    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                                    UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
                        }
                    }
                }
            });
        }
    }
}
