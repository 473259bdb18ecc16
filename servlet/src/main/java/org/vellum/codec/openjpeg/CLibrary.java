package org.vellum.codec.openjpeg;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * Raw JNA mapping of the few stdio functions {@link MessageSink} uses to let OpenJPEG write its messages into memory,
 * glibc's {@code malloc_trim}, and {@code memfd_create}/{@code close} for {@link ScratchFile}: {@code FILE *} is a {@link Pointer}, {@code size_t}/{@code long} are {@code long}.
 */
interface CLibrary extends Library {
    int SEEK_SET = 0;
    int IONBF = 2;

    /** {@code FILE *fmemopen(void *buf, size_t size, const char *mode)}. */
    Pointer fmemopen(Pointer buf, long size, String mode);

    int setvbuf(Pointer stream, Pointer buf, int mode, long size);

    int fflush(Pointer stream);

    void clearerr(Pointer stream);

    long ftell(Pointer stream);

    int fseek(Pointer stream, long offset, int whence);

    int fclose(Pointer stream);

    /** Linux (glibc 2.27+): {@code int memfd_create(const char *name, unsigned int flags)}, an anonymous file in memory. */
    int memfd_create(String name, int flags);

    int close(int fd);

    /** glibc only: {@code int malloc_trim(size_t pad)}, hands memory freed inside malloc's arenas back to the system. */
    int malloc_trim(long pad);
}
