package org.vellum.codec.openjpeg;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects OpenJPEG's error and warning messages for one codec and forwards them to SLF4J.
 * The two native callbacks are static (strong references for the life of the JVM, one trampoline each);
 * the codec's client_data carries the sink id. Callbacks can arrive on OpenJPEG worker threads.
 * Logging is rate-limited per codec and globally, because a crafted file can emit millions of warnings (CVE-2023-39327).
 */
final class MessageSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenJpeg.class);
    private static final int MAX_LOGGED_PER_CODEC = 5;
    private static final int MAX_ERRORS_KEPT = 8;
    private static final int MAX_LOGGED_PER_SECOND = 50;

    /** Emitted by every JP2 opj_get_decoded_tile call: says nothing about the file. */
    private static final String BENIGN_TRAILING_BOXES = "JP2 box which are after the codestream";

    private static final Map<Long, MessageSink> SINKS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final Object RATE_LOCK = new Object();
    private static long rateWindowStart;
    private static int rateWindowCount;

    private static final OpenJpegLibrary.MsgCallback ERROR = new OpenJpegLibrary.MsgCallback() {
        @Override
        public void invoke(String msg, Pointer clientData) {
            MessageSink sink = SINKS.get(Pointer.nativeValue(clientData));
            if (sink != null) {
                sink.error(msg);
            }
        }
    };
    private static final OpenJpegLibrary.MsgCallback WARNING = new OpenJpegLibrary.MsgCallback() {
        @Override
        public void invoke(String msg, Pointer clientData) {
            MessageSink sink = SINKS.get(Pointer.nativeValue(clientData));
            if (sink != null) {
                sink.warning(msg);
            }
        }
    };

    private final long id;
    private final String source;
    private final List<String> errors = new ArrayList<>();
    private int logged;
    private int suppressed;

    MessageSink(String source) {
        this.id = IDS.incrementAndGet();
        this.source = source;
        SINKS.put(id, this);
    }

    /** Routes the codec's error and warning messages here. The info handler stays unset: it fires per tile. */
    void attach(OpenJpegLibrary lib, Pointer codec) {
        Pointer client = new Pointer(id);
        lib.opj_set_error_handler(codec, ERROR, client);
        lib.opj_set_warning_handler(codec, WARNING, client);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized void clearErrors() {
        errors.clear();
    }

    private synchronized void error(String msg) {
        String text = msg == null ? "" : msg.trim();
        if (errors.size() < MAX_ERRORS_KEPT) {
            errors.add(text);
        }
        log(true, text);
    }

    private synchronized void warning(String msg) {
        String text = msg == null ? "" : msg.trim();
        if (text.startsWith(BENIGN_TRAILING_BOXES)) {
            return;
        }
        log(false, text);
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

    @Override
    public void close() {
        SINKS.remove(id);
        int n;
        synchronized (this) {
            n = suppressed;
            suppressed = 0;
        }
        if (n > 0) {
            LOG.warn("OpenJPEG: {} further messages for {} suppressed", n, source);
        }
    }
}
