package org.vellum.protocol.iiif;

import java.util.List;
import java.util.Map;

/** Just enough JSON for info.json: maps (in insertion order), lists, strings, numbers and booleans, indented. */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object v, StringBuilder out, String indent) {
        if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            String inner = indent + "  ";
            out.append("{\n");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) out.append(",\n");
                first = false;
                out.append(inner);
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), out, inner);
            }
            out.append('\n').append(indent).append('}');
        } else if (v instanceof List<?> list) {
            boolean flat = list.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            if (flat) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(", ");
                    write(list.get(i), out, indent);
                }
                out.append(']');
                return;
            }
            String inner = indent + "  ";
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(",\n");
                out.append(inner);
                write(list.get(i), out, inner);
            }
            out.append('\n').append(indent).append(']');
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else {
            out.append("null");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
