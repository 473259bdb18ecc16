package org.vellum.it.tomcat;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vellum.it.war.WarContract;

/** {@link org.vellum.it.war.WarContract} on an embedded Tomcat 10.1 (Servlet 6.0), deployed by Arquillian. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WarOnTomcatTest extends WarContract {
    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        return war();
    }

    /**
     * docs/deployment.md: the connector's {@code encodedSolidusHandling="passthrough"}; set here on the running
     * connector through Tomcat's JMX (the embedded adapter has no server.xml), which reads it for every request.
     */
    @Override
    protected void allowEncodedSlashes() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> connectors = jmx.queryNames(new ObjectName("*:type=Connector,port=" + base.getPort() + ",*"),
                null);
        connectors.addAll(jmx.queryNames(new ObjectName("*:type=Connector,port=" + base.getPort()), null));
        if (connectors.isEmpty()) throw new AssertionError("no Tomcat connector MBean for port " + base.getPort());
        for (ObjectName c : connectors) jmx.setAttribute(c, new Attribute("encodedSolidusHandling", "passthrough"));
    }
}
