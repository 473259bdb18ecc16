package org.vellum.it.wildfly;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vellum.it.war.WarContract;

/**
 * {@link WarContract} on WildFly (Jakarta EE 10, Servlet 6.0), a managed server unpacked from its Maven Central
 * distribution and started by Arquillian (profile {@code wildfly}, surefire execution "wildfly").
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WarOnWildFlyTest extends WarContract {
    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        return war();
    }

    /**
     * Nothing: Undertow's default ({@code allow-encoded-slash="false"}) leaves {@code %2F} encoded and lets the request
     * through, and Vellum reads the raw request URI (docs/deployment.md).
     */
    @Override
    protected void allowEncodedSlashes() {
    }
}
