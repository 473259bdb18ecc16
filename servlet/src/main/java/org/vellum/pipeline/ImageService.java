package org.vellum.pipeline;

import java.util.function.Function;

import org.vellum.api.Caller;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageSequence;
import org.vellum.api.ResolvedImage;
import org.vellum.config.Settings;
import org.vellum.image.Dimension;
import org.vellum.image.ImageEngine;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.ImageRequest;
import org.vellum.image.Rect;

/**
 * The pipeline every protocol goes through: resolve the identifier for its caller → the image's facts → validators
 * (ETag, Last-Modified) → a conditional request's 304 → the protocol's own work → an answer rendered by the one
 * {@link HttpPolicy}. A protocol supplies the query, the work and how its failures read, nothing else.
 */
public final class ImageService {
    private final ImageEngine engine;
    private final HttpPolicy policy;

    public ImageService(ImageEngine engine, HttpPolicy policy) {
        this.engine = engine;
        this.policy = policy;
    }

    /** What a protocol does once its image is known: render the answer's body, or throw. */
    @FunctionalInterface
    public interface Work {
        Representation render(Subject subject) throws ImageException;
    }

    /**
     * Answers {@code query} for {@code caller}.
     *
     * @param failure how the protocol words a failure (status and message of the exception)
     */
    public Answer serve(Query query, Caller caller, Work work, Function<ImageException, Representation> failure) {
        Subject subject;
        try {
            subject = subject(query, caller);
        } catch (ImageException e) {
            return policy.render(failure.apply(e), caller);
        }
        if (Validators.notModified(caller, subject.image(), subject.etag())) {
            return policy.notModified(subject, query, caller);
        }
        Representation r;
        try {
            r = work.render(subject);
        } catch (ImageException e) {
            r = failure.apply(e);
        }
        return policy.render(subject, r, query, caller);
    }

    /** What a protocol does with an object of several images: render a document about it (a IIIF manifest). */
    @FunctionalInterface
    public interface ObjectWork {
        Representation render(ImageObject object) throws ImageException;
    }

    /**
     * Answers a document about the object {@code query} names: the object resolved for the caller, validators from its
     * version and the query's variant, a conditional request's 304, the work, and the one policy.
     */
    public Answer serveObject(Query query, Caller caller, ObjectWork work,
                              Function<ImageException, Representation> failure) {
        ImageObject object;
        try {
            object = engine.object(query.identifier(), caller);
        } catch (ImageException e) {
            return policy.render(failure.apply(e), caller);
        }
        Validated v = new Validated(object.lastModified(), Validators.etag(object.version(), query.variant()),
                object.personal());
        if (Validators.notModified(caller, v.lastModified(), v.etag())) return policy.notModified(v, query, caller);
        Representation r;
        try {
            r = work.render(object);
        } catch (ImageException e) {
            r = failure.apply(e);
        }
        return policy.render(r.success() ? v : null, r, query, caller);
    }

    /** The image sequence {@code identifier} names for the caller, or null (a single image, or nothing). */
    public ImageSequence sequence(String identifier, Caller caller) throws ImageException {
        return engine.sequence(identifier, caller);
    }

    /** One page of an object, resolved for the caller (its file, mtime and size; nothing read yet). */
    public ResolvedImage resolve(String identifier, Caller caller) throws ImageException {
        return engine.resolve(identifier, caller);
    }

    /** A resolved image's full-resolution size, without opening a decoder when its facts are not known yet. */
    public Dimension size(ResolvedImage image) throws ImageException {
        return engine.size(image);
    }

    /** The header facts of a resolved image. */
    public ImageInfo info(ResolvedImage image) throws ImageException {
        return engine.info(image);
    }

    /** The image, its facts and this query's ETag; no conditional check. */
    public Subject subject(Query query, Caller caller) throws ImageException {
        ResolvedImage image = engine.resolve(query.identifier(), caller);
        ImageInfo info = engine.info(image);
        return new Subject(image, info, Validators.etag(image, query.variant(), engine.settings()));
    }

    /** A request for this subject's area at the configured JPEG quality, to be completed by the protocol. */
    public ImageRequest.Builder request(Subject subject, Rect region) {
        return ImageRequest.of(subject.image(), region).quality(engine.settings().jpegQuality());
    }

    public byte[] produce(ImageRequest request) throws ImageException {
        return engine.produce(request);
    }

    public org.vellum.image.Pixels render(ImageRequest request) throws ImageException {
        return engine.render(request);
    }

    public HttpPolicy policy() {
        return policy;
    }

    public Settings settings() {
        return engine.settings();
    }
}
