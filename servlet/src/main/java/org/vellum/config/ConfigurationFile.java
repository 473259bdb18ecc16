package org.vellum.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.vellum.api.settings.Setting;

/**
 * {@code java org.vellum.config.ConfigurationFile [property=value ...]}: the environment's settings as the OSGi
 * configuration file of PID org.vellum (FileInstall's deploy/org.vellum.cfg), for bin/vellum; each declared variable
 * that is set (or its earlier name) becomes a line under its property, and the arguments are added last, winning.
 */
public final class ConfigurationFile {
    private ConfigurationFile() {
    }

    public static void main(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected property=value, got " + arg);
            overrides.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        System.out.print(of(System.getenv(), overrides));
    }

    /** One {@code property=value} line per setting given in {@code env} or {@code overrides}. */
    static String of(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Setting<?> s : Settings.DECLARED) {
            String v = env.get(s.variable());
            for (int i = 0; v == null && i < s.aliases().size(); i++) {
                v = env.get(s.aliases().get(i));
                if (v != null) {
                    System.err.println(s.aliases().get(i) + " is deprecated: read as " + s.variable() + "; set "
                            + s.variable() + " instead");
                }
            }
            if (v != null) properties.put(s.property(), v);
        }
        properties.putAll(overrides);
        StringBuilder b = new StringBuilder();
        properties.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return b.toString();
    }
}
