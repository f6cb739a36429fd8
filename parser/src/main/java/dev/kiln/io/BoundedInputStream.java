// SPDX-License-Identifier: Apache-2.0
package dev.kiln.io;

import dev.kiln.job.ProgressSink;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Guards a decompressing stream: fails with {@link TooLargeException} once more than {@code limit} bytes come
 * out (a gzip bomb gets a clear error instead of an OutOfMemoryError), checks cancellation and reports how
 * many bytes of the underlying file were consumed.
 */
final class BoundedInputStream extends FilterInputStream {
    /** The decompressed data exceeded the limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) { super(message); }
    }

    private final long limit;
    private final ProgressSink progress;
    private final CountingInputStream source;
    private final long sourceSize;
    private long count;

    BoundedInputStream(InputStream in, long limit, ProgressSink progress, CountingInputStream source, long sourceSize) {
        super(in);
        this.limit = limit;
        this.progress = progress;
        this.source = source;
        this.sourceSize = sourceSize;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) advance(1);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) advance(n);
        return n;
    }

    private void advance(int n) throws IOException {
        count += n;
        if (count > limit) {
            throw new TooLargeException("it decompresses to more than " + (limit >> 20) + " MiB from "
                    + sourceSize + " bytes; refusing what looks like a decompression bomb");
        }
        progress.checkCancelled();
        if (source != null) progress.progress(source.count(), sourceSize, "reading");
    }

    long count() { return count; }

    /** Counts the compressed bytes read, for progress and error offsets. */
    static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) { super(in); }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }

        long count() { return count; }
    }
}
