// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lets a second {@code kiln FILE} (a double-click on a {@code .jfr} while Kiln is open) hand its files to the
 * running window instead of starting another one. The running app listens on a loopback port and writes the port
 * with a random token to a file only its user can read; a new launch that reads the file, connects within a short
 * timeout and is answered "OK" exits. Anything else (no file, a stale port, a wrong token) means: start normally.
 * Holds no JavaFX types.
 */
public final class SingleInstance implements AutoCloseable {
    private static final String HELLO = "KILN-OPEN 1";
    private static final int CONNECT_TIMEOUT_MS = 500, READ_TIMEOUT_MS = 2000, MAX_FILES = 1000;

    private final ServerSocket server;
    private final Path portFile;

    private SingleInstance(ServerSocket server, Path portFile) {
        this.server = server;
        this.portFile = portFile;
    }

    /** Where the running app leaves its port and token: beside the recent-files list. */
    public static Path defaultPortFile() {
        return RecentFiles.defaultStore().resolveSibling("instance"); // -Dkiln.config.dir moves it with the preferences
    }

    /** Sends the files to a running Kiln; true when it took them (this launch can then exit). */
    public static boolean handOff(List<Path> files, Path portFile) {
        String[] parts;
        try {
            parts = Files.readString(portFile).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (parts.length != 2) return false;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[0])), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            StringBuilder msg = new StringBuilder(HELLO).append('\n').append(parts[1]).append('\n');
            for (Path f : files) msg.append(f.toAbsolutePath()).append('\n');
            msg.append('\n');
            OutputStream out = s.getOutputStream();
            out.write(msg.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return "OK".equals(answer);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Starts listening for hand-offs and publishes the port file; {@code onOpen} gets each launch's files on the
     * listener thread (the caller moves them to the FX thread).
     */
    public static SingleInstance listen(Path portFile, Consumer<List<Path>> onOpen) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Files.createDirectories(portFile.getParent());
        Path tmp = Files.createTempFile(portFile.getParent(), "instance", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the user's profile folder is private already
        }
        Files.writeString(tmp, server.getLocalPort() + " " + token + "\n");
        Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        SingleInstance instance = new SingleInstance(server, portFile);
        Thread t = new Thread(() -> instance.serve(token, onOpen), "kiln-single-instance");
        t.setDaemon(true);
        t.start();
        return instance;
    }

    private void serve(String token, Consumer<List<Path>> onOpen) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(READ_TIMEOUT_MS);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                if (!HELLO.equals(in.readLine()) || !token.equals(in.readLine())) continue;
                List<Path> files = new ArrayList<>();
                for (String line = in.readLine(); line != null && !line.isEmpty() && files.size() < MAX_FILES; line = in.readLine()) {
                    files.add(Path.of(line));
                }
                s.getOutputStream().write("OK\n".getBytes(StandardCharsets.UTF_8));
                onOpen.accept(files);
            } catch (IOException | RuntimeException e) {
                // a broken or foreign connection: ignore it and keep listening
            }
        }
    }

    public int port() { return server.getLocalPort(); }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(portFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
