package org.vellum.protocol.iip;

/** An IIP protocol error: answered with iipsrv's {@code Error/len:class code arg} line. */
final class IipException extends Exception {
    final String code;
    final String argument;

    IipException(String code, String argument) {
        super(code + " " + argument);
        this.code = code;
        this.argument = argument;
    }
}
