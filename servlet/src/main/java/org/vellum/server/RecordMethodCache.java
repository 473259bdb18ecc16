package org.vellum.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of the one record class Java 17 keeps after its bundle is gone or its web application undeployed. A record's
 * equals/hashCode/toString are made by {@link ObjectMethods#bootstrap}, which adapts a few static method handles of
 * the JDK to the record's types; each of those handles remembers its last adaptation, strongly on Java 17
 * (JDK-8078641, softly since 18). So the record class bootstrapped last in the JVM, and its bundle's or web
 * application's class loader, stay reachable until another record is bootstrapped. Asking for the three methods once
 * more for a JDK class overwrites those entries with JDK types.
 */
public final class RecordMethodCache {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMethodCache.class);

    private RecordMethodCache() {
    }

    public static void forgetOurRecords() {
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
