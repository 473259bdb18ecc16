package org.vellum.it.war;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Remembers, weakly, the class loader of each web application Arquillian deploys, by context path, so that a test can
 * see it collected after the undeployment: nothing of the application (a thread, a driver, a JDK cache) outlived it.
 */
public final class DeployedClassLoaders implements LoadableExtension {
    private static final Map<String, WeakReference<ClassLoader>> LOADERS = new ConcurrentHashMap<>();

    @Override
    public void register(ExtensionBuilder builder) {
        // the Tomcat execution has no Jetty adapter on its class path: nothing to record there
        if (DeployedClassLoaders.class.getClassLoader().getResource(
                "org/jboss/arquillian/container/jetty/embedded_12_ee10/WebAppContextProcessor.class") == null) return;
        builder.service(WebAppContextProcessor.class, Recorder.class);
    }

    /** The loader of the application last started at {@code contextPath}, while it lives. */
    public static WeakReference<ClassLoader> of(String contextPath) {
        return LOADERS.getOrDefault(contextPath, new WeakReference<>(null));
    }

    public static final class Recorder implements WebAppContextProcessor {
        @Override
        public void process(WebAppContext context, Archive<?> archive) {
            context.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarted(LifeCycle event) {
                    LOADERS.put(context.getContextPath(), new WeakReference<>(context.getClassLoader()));
                }
            });
        }
    }
}
