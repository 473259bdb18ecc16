package org.vellum.fedora;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of the record class of this bundle that Java 17 keeps after the bundle is gone, as the core bundle's class
 * of this name does for its own: a record's equals/hashCode/toString are adapted from a few static method handles of
 * the JDK, each of which remembers its last adaptation strongly on Java 17 (JDK-8078641, softly since 18), and so the
 * record class bootstrapped last, and its bundle's class loader. Bootstrapping the three methods once more for a JDK
 * class overwrites those entries. FedoraInFelixTest shows the adapter's class loader collected after uninstall.
 */
final class RecordMethodCache {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMethodCache.class);

    private RecordMethodCache() {
    }

    static void forgetOurRecords() {
        if (Runtime.version().feature() >= 18) return;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            // String, not Object: adapting a handle to the type it already has would leave its cache untouched.
            MethodHandle getter = MethodHandles.identity(String.class);
            ObjectMethods.bootstrap(lookup, "equals", MethodType.methodType(boolean.class, String.class, Object.class),
                    String.class, "value", getter);
            ObjectMethods.bootstrap(lookup, "hashCode", MethodType.methodType(int.class, String.class),
                    String.class, "value", getter);
            ObjectMethods.bootstrap(lookup, "toString", MethodType.methodType(String.class, String.class),
                    String.class, "value", getter);
        } catch (Throwable e) {
            LOG.warn("Could not reset the JDK's record method cache: {}", e.toString());
        }
    }
}
