// SPDX-License-Identifier: Apache-2.0
package dev.kiln.capture;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a profile over HTTP from a Go service's {@code net/http/pprof} endpoints ({@code /debug/pprof/profile?seconds=N},
 * {@code heap}, {@code allocs}, {@code block}, {@code mutex}, {@code goroutine?debug=0|1|2}) or any URL serving a
 * file {@link ProfileLoader} reads.
 * Guarantees: the body is written to a temporary file next to the output, checked to be a profile by loading it,
 * and only then moved to the output, so a failed fetch never replaces an existing file and a successful one is on
 * disk before anyone opens it. The connection has a timeout; the whole fetch has a deadline of the profile's
 * {@code seconds} plus {@link #SLACK}; the body is capped at {@link #maxBytes}. Failures name the URL: an HTTP error
 * status (with the start of the server's message), a refused connection, a timeout, a body over the limit are
 * {@link IOException}s; a body that is not a profile is a {@link ProfileFormatException}.
 */
public final class PprofFetcher {
    /** A fetched file and the profile loaded from it. */
    public record Fetched(Path file, Profile profile) { }

    public static final long DEFAULT_MAX_BYTES = 512L << 20;
    /** Time allowed beyond the requested {@code seconds} for the server to answer and the body to arrive. */
    public static final Duration SLACK = Duration.ofSeconds(30);

    private static final Pattern SECONDS = Pattern.compile("(?:^|&)seconds=(\\d+)");
    private static final Pattern DEBUG = Pattern.compile("(?:^|&)debug=(\\d+)");

    private final Duration connectTimeout;
    private final long maxBytes;
    private final HttpClient client;

    public PprofFetcher() {
        this(Duration.ofSeconds(10), DEFAULT_MAX_BYTES);
    }

    public PprofFetcher(Duration connectTimeout, long maxBytes) {
        this.connectTimeout = connectTimeout;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public long maxBytes() { return maxBytes; }

    /** Parses a URL as typed by a user; {@code host:port/path} without a scheme means {@code http://}. */
    public static URI parse(String url) {
        String u = url.strip();
        if (!u.contains("://")) u = "http://" + u;
        try {
            URI uri = new URI(u);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException(url + ": only http and https URLs can be fetched");
            }
            if (uri.getHost() == null) throw new IllegalArgumentException(url + ": the URL has no host");
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url + ": not a URL (" + e.getReason() + ")");
        }
    }

    /**
     * A file name for a fetch of {@code url} at {@code time}: the endpoint's last path segment, host and port, the
     * time, and {@code .txt} for Go text profiles ({@code debug=1|2}), {@code .trace} for execution traces
     * ({@code /debug/pprof/trace}) or {@code .pb.gz} otherwise.
     */
    public static String defaultFileName(URI url, LocalDateTime time) {
        String path = url.getPath() == null ? "" : url.getPath();
        String last = path.replaceAll("/+$", "");
        last = last.substring(last.lastIndexOf('/') + 1);
        if (last.isEmpty()) last = "profile";
        last = last.replaceAll("[^A-Za-z0-9._-]", "_");
        Matcher d = DEBUG.matcher(url.getRawQuery() == null ? "" : url.getRawQuery());
        boolean text = d.find() && !d.group(1).equals("0");
        return last + "-" + url.getHost().replaceAll("[^A-Za-z0-9.-]", "_") + (url.getPort() > 0 ? "-" + url.getPort() : "")
                + "-" + time.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + (text ? ".txt" : last.equals("trace") ? ".trace" : ".pb.gz");
    }

    /** How long the whole fetch of {@code url} may take: its {@code seconds} parameter (CPU, trace) plus {@link #SLACK}. */
    public static Duration deadline(URI url) {
        Matcher m = SECONDS.matcher(url.getRawQuery() == null ? "" : url.getRawQuery());
        long seconds = 0;
        if (m.find()) {
            try {
                seconds = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                seconds = 0;
            }
        }
        return Duration.ofSeconds(Math.min(seconds, 24 * 3600)).plus(SLACK);
    }

    /** Fetches {@code url} into {@code output} (replacing it only on success) and returns the loaded profile. */
    public Fetched fetch(URI url, Path output, ProgressSink progress) throws IOException, ProfileFormatException {
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // A private folder holding a file of the output's own name, so the loaded profile is named like the output.
        Path tmpDir = Files.createTempDirectory(dir, ".kiln-fetch");
        Path tmp = tmpDir.resolve(target.getFileName().toString());
        try {
            String contentType = download(url, tmp, progress);
            Profile profile;
            try {
                profile = ProfileLoader.load(tmp, progress);
            } catch (ProfileFormatException e) {
                throw new ProfileFormatException(url.toString(), -1, "the answer is not a profile"
                        + (contentType.isEmpty() ? "" : " (Content-Type " + contentType + ")") + ": " + e.reason(), e);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return new Fetched(target, profile);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmpDir);
        }
    }

    /** Streams the body of a 200 answer into {@code file}; returns the Content-Type (empty if none). */
    private String download(URI url, Path file, ProgressSink progress) throws IOException {
        Duration deadline = deadline(url);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(deadline).GET()
                .header("User-Agent", "kiln").build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new IOException(url + ": no connection within " + connectTimeout.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new IOException(url + ": no answer within " + deadline.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new IOException(url + ": connection refused (is the service running and listening on that port?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException(url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                String body = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
                throw new IOException(url + ": HTTP " + response.statusCode() + (response.statusCode() == 404 ? " Not Found" : "")
                        + (body.isEmpty() ? "" : " (" + body + ")"));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) throw new IOException(url + ": the profile is " + length + " bytes, over the limit of " + maxBytes);
            // The request timeout covers the headers only; a stalled body is cut off at the deadline.
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is all we can do
                }
            }, CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS));
            long start = System.nanoTime();
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                long done = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    done += n;
                    if (done > maxBytes) throw new IOException(url + ": the profile is over the limit of " + maxBytes + " bytes");
                    out.write(buf, 0, n);
                    progress.progress(done, length, "fetching " + url);
                    progress.checkCancelled();
                }
            } catch (IOException e) {
                if (System.nanoTime() - start >= deadline.toNanos()) {
                    throw new IOException(url + ": the profile did not arrive within " + deadline.toSeconds() + " s", e);
                }
                throw e.getMessage() != null && e.getMessage().startsWith(url.toString()) ? e : new IOException(url + ": " + e.getMessage(), e);
            } finally {
                watchdog.cancel(false);
            }
        }
        return contentType;
    }
}
