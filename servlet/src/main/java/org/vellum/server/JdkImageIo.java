package org.vellum.server;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the JDK's ImageIO, which lives as long as the JVM, with nothing of this web application in it, so that
 * undeploying the application lets its class loader go. ImageIO's first use makes two JVM-wide objects that keep what
 * they find: AWT's main AppContext keeps the context class loader of the thread that made it, and ImageIO's service
 * registry keeps, for each of the JDK's plugins, the access control context of the stack that registered it, that is
 * every protection domain on it, each with its class loader (the heap dump behind WarUndeployOnTomcatTest:
 * ImageIO.theRegistry → RAFImageOutputStreamSpi's AccessControlContext → VellumWebApp's ProtectionDomain → the
 * application's loader). Calling ImageIO from the listener, even with no context class loader, leaves that path. So
 * it is started on a thread of the common fork-join pool (made by the JDK: system class loader, no inherited context
 * of ours), through a Runnable proxy the JDK makes around a method handle: only the JDK's own frames on the stack.
 * Nothing happens if ImageIO is already started (by the container or another application).
 */
final class JdkImageIo {
    private static final Logger LOG = LoggerFactory.getLogger(JdkImageIo.class);

    private JdkImageIo() {
    }

    static void startWithoutThisApplication() {
        try {
            MethodHandle cacheDirectory = MethodHandles.publicLookup().findStatic(ImageIO.class, "getCacheDirectory",
                    MethodType.methodType(File.class));
            Runnable start = MethodHandleProxies.asInterfaceInstance(Runnable.class,
                    MethodHandles.dropReturn(cacheDirectory));
            ForkJoinPool.commonPool().submit(start).get(30, TimeUnit.SECONDS);
        } catch (ReflectiveOperationException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Could not start ImageIO outside the application (undeploying may then leave its class loader "
                    + "behind): {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
