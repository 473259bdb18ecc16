package org.vellum.api;

import java.util.List;

/**
 * Several images shown as one (a book's pages, a repository item's images), or a group of such objects: what a
 * resolver answers to {@link ImageResolver#object}. Vellum turns it into a IIIF Presentation manifest (the pages) or
 * collection (the members); the resolver decides which pages the caller may see and in what order.
 *
 * @param identifier   as the client gave it
 * @param label        the object's name (a title, else the folder's or item's name)
 * @param pages        images in reading order; each page's identifier is one {@link ImageResolver#resolve} accepts
 * @param members      objects inside this one (sub-folders), for a collection; empty for a plain object
 * @param description  what the object says about itself beyond its label
 * @param lastModified milliseconds; Last-Modified of the documents made from it
 * @param version      changes whenever the pages, members or description change (an ETag's base)
 * @param personal     the answer depends on the caller's credentials: no shared cache may keep it
 */
public record ImageObject(String identifier, String label, List<Page> pages, List<Member> members,
                          Description description, long lastModified, String version, boolean personal) {

    public ImageObject {
        pages = List.copyOf(pages);
        members = List.copyOf(members);
        description = description == null ? Description.NONE : description;
    }

    /** One image of the object; {@code label} null: the viewer numbers it. */
    public record Page(String identifier, String label) {
    }

    /** An object inside this one; {@code collection}: it has members of its own rather than pages. */
    public record Member(String identifier, String label, boolean collection) {
    }

    /** One line of descriptive metadata, as the repository words it. */
    public record Field(String label, String value) {
    }

    /**
     * @param summary          a sentence or two, or null
     * @param attribution      the text a viewer must show with the images (IIIF's requiredStatement), or null
     * @param rights           a licence or rights statement URI (Creative Commons, RightsStatements.org), or null
     * @param viewingDirection {@code left-to-right} (null means this), {@code right-to-left}, {@code top-to-bottom},
     *                         {@code bottom-to-top}
     * @param paged            the pages are leaves of a bound book: viewers show facing pages as spreads
     * @param metadata         further fields, in order
     */
    public record Description(String summary, String attribution, String rights, String viewingDirection,
                              boolean paged, List<Field> metadata) {
        public static final Description NONE = new Description(null, null, null, null, false, List.of());

        public Description {
            metadata = List.copyOf(metadata);
        }
    }
}
