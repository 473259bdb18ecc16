package org.vellum.server;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;

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
 * it is started on a fork-join worker of a pool of our own (made by the JDK's factory, in a privileged block of the
 * JDK's: system class loader, no inherited context of ours), through a Runnable proxy the JDK makes around a method
 * handle: only the JDK's own frames on the stack. The task is waited for by polling, not {@code get()}, which would
 * run it on this thread if no worker had taken it yet (WildFly showed that). Nothing happens if ImageIO is already
 * started (by the container or another application).
 */
final class JdkImageIo {
    private static final Logger LOG = LoggerFactory.getLogger(JdkImageIo.class);

    private JdkImageIo() {
    }

    static void startWithoutThisApplication() {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            MethodHandle cacheDirectory = MethodHandles.publicLookup().findStatic(ImageIO.class, "getCacheDirectory",
                    MethodType.methodType(File.class));
            Runnable start = MethodHandleProxies.asInterfaceInstance(Runnable.class,
                    MethodHandles.dropReturn(cacheDirectory));
            ForkJoinTask<?> task = pool.submit(start);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!task.isDone()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("not started within 30 s");
                Thread.sleep(5);
            }
            if (task.isCompletedAbnormally()) throw new IllegalStateException(task.getException());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Could not start ImageIO outside the application (undeploying may then leave its class loader "
                    + "behind): {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdown();
        }
    }
}
