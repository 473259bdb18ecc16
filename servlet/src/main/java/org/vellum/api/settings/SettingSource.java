package org.vellum.api.settings;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Where settings come from. A source answers for one setting, named by its OSGi property and its environment
 * variable, with the text to parse (environment, context parameters), an already typed value (OSGi configuration),
 * or null when it gives none.
 */
@FunctionalInterface
public interface SettingSource {
    /** Gives nothing: every setting keeps its default. */
    SettingSource NONE = (property, variable) -> null;

    /** The raw value given for the setting, or null; either name may be null (an alias known under one name only). */
    Object find(String property, String variable);

    /** Variables by name: the environment, or servlet context parameters (which use the same names). */
    static SettingSource variables(Map<String, String> values) {
        return (property, variable) -> variable == null ? null : values.get(variable);
    }

    /**
     * A typed OSGi configuration, as {@code activate(Config config)} receives it: each setting from the interface's
     * method of its property, as Declarative Services converted it. The configuration answers for every property,
     * the metatype's default where ConfigAdmin holds none, which is the declared default.
     */
    static <C> SettingSource configuration(Class<C> type, C config) {
        return (property, variable) -> {
            if (property == null) return null;
            Method m;
            try {
                m = type.getMethod(Setting.methodOf(property));
            } catch (NoSuchMethodException notInTheInterface) {
                return null;
            }
            try {
                return m.invoke(config);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(property + ": " + e.getCause().getMessage(), e.getCause());
            }
        };
    }

    /** This source, where {@code later} gives nothing; {@code later} wins. */
    default SettingSource overriddenBy(SettingSource later) {
        return (property, variable) -> {
            Object v = later.find(property, variable);
            return v != null ? v : find(property, variable);
        };
    }
}
