package org.vellum.server;

import java.lang.reflect.Field;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops JNA's "JNA Cleaner" daemon thread of the JNA copy loaded beside Vellum: embedded in the OSGi bundle, or in the
 * WAR's WEB-INF/lib. JNA keeps FFI type structures with registered cleanables in statics, so with Structures in use
 * the thread never idles out, and its class is ours: the bundle's or web application's class loader would stay
 * reachable after uninstall or undeploy (osgi-stack.md §7; Tomcat reports the thread on undeploy). A JNA that is not
 * ours (a shared bundle, the container's class path) is never touched. Setting the field to null first means a later
 * use of the same JNA starts a fresh thread.
 */
public final class JnaCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(JnaCleaner.class);

    private JnaCleaner() {
    }

    public static void stopIfOurs() {
        try {
            Object cleaner = com.sun.jna.internal.Cleaner.getCleaner();
            if (cleaner.getClass().getClassLoader() != JnaCleaner.class.getClassLoader()) return;
            Field f = cleaner.getClass().getDeclaredField("cleanerThread");
            f.setAccessible(true);
            Thread t;
            synchronized (cleaner) {
                t = (Thread) f.get(cleaner);
                f.set(cleaner, null);
            }
            if (t != null) {
                t.interrupt();
                t.join(5000);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Could not stop JNA's cleaner thread: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
