package org.vellum.api.settings;

import java.util.List;

/**
 * What is rendered from declarations: the Markdown table of the documentation, and the metatype interface (an
 * {@code @ObjectClassDefinition}) whose descriptions and defaults bnd writes into the bundle. Both are checked in and
 * compared with what the declarations render by a test, which rewrites them when asked.
 */
public final class SettingsDocument {
    private SettingsDocument() {
    }

    /** A metatype interface to render: its package, simple name, configuration PID, and what the console shows. */
    public record Ocd(String packageName, String name, String pid, String label, String description,
            String javadoc) {
    }

    /** One row per setting: OSGi property, environment variable, type, default, description. */
    public static String markdownTable(List<? extends Setting<?>> settings) {
        StringBuilder b = new StringBuilder();
        b.append("| OSGi property | Environment variable | Type | Default | Description |\n");
        b.append("|---|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            String dflt = s.required() ? "*required*" : s.isSecret() || s.defaultText().isEmpty() ? "*empty*"
                    : "`" + s.defaultText() + "`";
            StringBuilder doc = new StringBuilder(s.doc());
            for (String alias : s.aliases()) {
                doc.append(". Earlier name, still read: `").append(alias).append('`');
            }
            b.append("| `").append(s.property()).append("` | `").append(s.variable()).append("` | ")
                    .append(s.type().name()).append(" | ").append(dflt).append(" | ")
                    .append(markdown(doc.toString())).append(" |\n");
        }
        return b.toString();
    }

    /**
     * The metatype interface's Java source: one method per setting, named by its property, returning its type,
     * defaulting to its default, described by its documentation line and named by its environment variable.
     *
     * @param generatedBy where the declarations are and how to render again: the file's first comment, line by line
     */
    public static String configurationInterface(Ocd ocd, List<? extends Setting<?>> settings, String generatedBy) {
        boolean password = settings.stream().anyMatch(Setting::isSecret);
        StringBuilder b = new StringBuilder();
        for (String line : generatedBy.split("\n")) b.append("// ").append(line).append('\n');
        b.append("package ").append(ocd.packageName()).append(";\n\n");
        b.append("import org.osgi.service.metatype.annotations.AttributeDefinition;\n");
        if (password) b.append("import org.osgi.service.metatype.annotations.AttributeType;\n");
        b.append("import org.osgi.service.metatype.annotations.ObjectClassDefinition;\n\n");
        b.append("/**\n");
        for (String line : ocd.javadoc().split("\n")) b.append(" *").append(line.isEmpty() ? "" : " " + line).append('\n');
        b.append(" */\n");
        b.append("@ObjectClassDefinition(name = ").append(quoted(ocd.label())).append(",\n        description = ")
                .append(quoted(ocd.description())).append(")\n");
        b.append("public @interface ").append(ocd.name()).append(" {\n");
        if (ocd.pid() != null) b.append("    String PID = ").append(quoted(ocd.pid())).append(";\n");
        for (Setting<?> s : settings) {
            b.append("\n    @AttributeDefinition(name = ").append(quoted(s.variable()));
            if (s.isSecret()) b.append(", type = AttributeType.PASSWORD");
            if (!s.required() && (s.type() == SettingType.LIST || "".equals(s.defaultValue()))) {
                b.append(", required = false");
            }
            if (s.min() != null) b.append(", min = ").append(quoted(s.min()));
            if (s.max() != null) b.append(", max = ").append(quoted(s.max()));
            b.append(",\n            description = ").append(quoted(s.doc())).append(")\n");
            b.append("    ").append(s.type().javaType()).append(' ').append(s.methodName()).append("()");
            if (!s.required()) b.append(" default ").append(s.defaultJavaLiteral());
            b.append(";\n");
        }
        b.append("}\n");
        return b.toString();
    }

    /** Plain text in a table cell: a pipe would end the cell, and {@code <prefix>} would be taken for HTML. */
    private static String markdown(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|");
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
