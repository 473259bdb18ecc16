package org.vellum.protocol.iiif;

/** The two Image API versions served, each at {@code <prefix>/<number>/}. */
public enum IiifVersion {
    V2("2"),
    V3("3");

    private final String number;

    IiifVersion(String number) {
        this.number = number;
    }

    /** The path segment naming the version. */
    public String number() {
        return number;
    }

    public String context() {
        return "http://iiif.io/api/image/" + number + "/context.json";
    }

    /** The level 2 compliance profile, as the Link header and the v2 profile array name it. */
    public String level2Profile() {
        return "http://iiif.io/api/image/" + number + "/level2.json";
    }

    /** The version a path segment names, or null. */
    public static IiifVersion of(String segment) {
        for (IiifVersion v : values()) if (v.number.equals(segment)) return v;
        return null;
    }
}
