package org.vellum.codec.openjpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a cut copy of a codestream ({@link ResolutionCut}) lives while a decoder opens it: on Linux an anonymous file in
 * memory ({@code memfd_create}), reached by its {@code /proc/self/fd} path, so a copy costs no disk writes; elsewhere a
 * temporary file. {@link #close()} drops this handle only: a stream or channel that opened the path keeps the data
 * until it closes, and then it is gone either way.
 */
final class ScratchFile implements AutoCloseable {
    private static final int MFD_CLOEXEC = 1;
    private static volatile boolean memfdWorks = true;

    private final Path path;
    private final int fd;

    private ScratchFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    static ScratchFile create(String suffix) throws IOException {
        if (memfdWorks) {
            try {
                int fd = OpenJpeg.libc().memfd_create("vellum-cut-in-memory" + suffix, MFD_CLOEXEC);
                if (fd >= 0) {
                    Path p = Path.of("/proc/self/fd/" + fd);
                    if (Files.isReadable(p)) return new ScratchFile(p, fd);
                    OpenJpeg.libc().close(fd);
                }
            } catch (UnsatisfiedLinkError e) {
                // not glibc on Linux: temporary files
            }
            memfdWorks = false;
        }
        return new ScratchFile(Files.createTempFile("vellum-cut-", suffix), -1);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            OpenJpeg.libc().close(fd);
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            path.toFile().deleteOnExit();
        }
    }
}
