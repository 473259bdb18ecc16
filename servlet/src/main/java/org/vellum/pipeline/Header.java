package org.vellum.pipeline;

/** One header line of an answer. */
public record Header(String name, String value) {
}
