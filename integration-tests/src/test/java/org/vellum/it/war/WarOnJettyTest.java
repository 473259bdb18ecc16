package org.vellum.it.war;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link WarContract} on an embedded Jetty 12 (ee10, Servlet 6.0). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WarOnJettyTest extends WarContract {
    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        return war();
    }

    /** Set for every deployment by {@link AdminJettySettings}, as docs/deployment.md gives it. */
    @Override
    protected void allowEncodedSlashes() {
    }
}
