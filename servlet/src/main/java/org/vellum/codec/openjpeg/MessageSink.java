package org.vellum.codec.openjpeg;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects OpenJPEG's error and warning messages for one codec and forwards them to SLF4J.
 *
 * <p>No Java callback is involved: the handlers are the C library's {@code fputs} and the client data a
 * {@code FILE *} opened with {@code fmemopen} on a buffer we own, one for errors and one for warnings. OpenJPEG
 * writes its messages there and we read them after each call. A JNA callback would need a libffi closure, and
 * every copy of JNA (one per revision of the OSGi bundle) keeps a file descriptor and executable memory for its
 * closures until the JVM exits. The fixed buffers also bound what a crafted file can make OpenJPEG emit
 * (CVE-2023-39327: millions of warnings); logging is rate-limited per codec and globally as well.
 */
final class MessageSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenJpeg.class);
    private static final int BUFFER_BYTES = 8192;
    private static final int MAX_LOGGED_PER_CODEC = 5;
    private static final int MAX_ERRORS_KEPT = 8;
    private static final int MAX_LOGGED_PER_SECOND = 50;

    /** Emitted by every JP2 opj_get_decoded_tile call: says nothing about the file. */
    private static final String BENIGN_TRAILING_BOXES = "JP2 box which are after the codestream";

    private static final Object RATE_LOCK = new Object();
    private static long rateWindowStart;
    private static int rateWindowCount;

    private final String source;
    private final CLibrary libc = OpenJpeg.libc();
    private final Channel errorChannel = new Channel();
    private final Channel warningChannel = new Channel();
    private final List<String> errors = new ArrayList<>();
    private int logged;
    private int suppressed;

    MessageSink(String source) {
        this.source = source;
    }

    /** Routes the codec's error and warning messages here. The info handler stays unset: it fires per tile. */
    void attach(OpenJpegLibrary lib, Pointer codec) {
        if (errorChannel.file != null) lib.opj_set_error_handler(codec, OpenJpeg.fputs(), errorChannel.file);
        if (warningChannel.file != null) lib.opj_set_warning_handler(codec, OpenJpeg.fputs(), warningChannel.file);
    }

    synchronized List<String> errors() {
        drain();
        return List.copyOf(errors);
    }

    synchronized void clearErrors() {
        drain();
        errors.clear();
    }

    /** Takes what OpenJPEG wrote since the last call: errors are kept (a few) and logged, warnings logged. */
    private void drain() {
        for (String text : errorChannel.take()) {
            if (errors.size() < MAX_ERRORS_KEPT) errors.add(text);
            log(true, text);
        }
        for (String text : warningChannel.take()) {
            if (!text.startsWith(BENIGN_TRAILING_BOXES)) log(false, text);
        }
    }

    private void log(boolean error, String text) {
        if (logged >= MAX_LOGGED_PER_CODEC || !globalBudget()) {
            suppressed++;
            return;
        }
        logged++;
        // A bad file is a recoverable problem: warn, naming the file. Errors also surface as OpenJpegException.
        LOG.warn("OpenJPEG {} for {}: {}", error ? "error" : "warning", source, text);
    }

    private static boolean globalBudget() {
        synchronized (RATE_LOCK) {
            long now = System.nanoTime();
            if (now - rateWindowStart > 1_000_000_000L) {
                rateWindowStart = now;
                rateWindowCount = 0;
            }
            return ++rateWindowCount <= MAX_LOGGED_PER_SECOND;
        }
    }

    /** Call only after the codec is destroyed: OpenJPEG must not write into a closed stream. */
    @Override
    public synchronized void close() {
        drain();
        errorChannel.close();
        warningChannel.close();
        if (suppressed > 0) {
            LOG.warn("OpenJPEG: {} further messages for {} suppressed", suppressed, source);
            suppressed = 0;
        }
    }

    /** A memory stream OpenJPEG writes one kind of message into; what does not fit is dropped. */
    private final class Channel {
        final Memory buffer = new Memory(BUFFER_BYTES);
        Pointer file;

        Channel() {
            buffer.clear();
            file = libc.fmemopen(buffer, BUFFER_BYTES, "w");
            // Unbuffered, so a full buffer fails the write at once instead of leaving bytes pending in stdio.
            if (file != null) libc.setvbuf(file, null, CLibrary.IONBF, 0);
        }

        List<String> take() {
            if (file == null) return List.of();
            libc.fflush(file);
            long end = Math.min(libc.ftell(file), BUFFER_BYTES - 1L);
            if (end <= 0) return List.of();
            String text = new String(buffer.getByteArray(0, (int) end), StandardCharsets.UTF_8);
            libc.fseek(file, 0, CLibrary.SEEK_SET);
            libc.clearerr(file);
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n")) {
                String t = line.trim();
                if (!t.isEmpty()) lines.add(t);
            }
            return lines;
        }

        void close() {
            if (file != null) {
                libc.fclose(file);
                file = null;
            }
            buffer.close();
        }
    }
}
