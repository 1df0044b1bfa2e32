package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks what {@code serve} needs before anything starts, so that a usual mistake ends in one line
 * that says what to do instead of a library's stack trace: the data folder can be written, the
 * plugins folder is a folder, the key file is a readable file, the port is free. Each failure is a
 * {@link StartupException}; {@link #explain} turns any other start-up exception into such a line.
 */
final class StartupCheck {
    private StartupCheck() {
    }

    /** A start-up failure with a message fit to be the only line the operator sees. */
    static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }

    static void all(HostConfig config) {
        pluginsDir(config.pluginsDir());
        dataDir(config.dataDir());
        if (config.encryptionKey() == null) {
            keyFile(config.keyFile());
        }
        key(config);
        port(config.bindHost(), config.port());
    }

    static void pluginsDir(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isRegularFile(absolute)) {
            throw new StartupException("The plugins folder " + absolute + " is a file, not a folder: give --plugins-dir "
                    + "(or HELPDESK_CONNECT_PLUGINS_DIR) the folder that holds the connector jars.");
        }
        if (!Files.isDirectory(absolute)) {
            throw new StartupException("The plugins folder " + absolute + " does not exist: create it and put the "
                    + "connector jars (e.g. creatio-plugin-<version>.jar) in it, or point --plugins-dir "
                    + "(or HELPDESK_CONNECT_PLUGINS_DIR) at the folder that holds them.");
        }
    }

    static void dataDir(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        String fix = " Choose another with --data-dir (or HELPDESK_CONNECT_DATA_DIR), or give this user write access.";
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new StartupException("Cannot create the data folder " + absolute + " (" + reason(e) + ")." + fix);
        }
        try {
            Files.delete(Files.createTempFile(absolute, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw new StartupException("Cannot write to the data folder " + absolute + " (" + reason(e) + ")." + fix);
        }
    }

    static void keyFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String fix = " Point --key-file (or HELPDESK_CONNECT_KEY_FILE) at the key file, or set HELPDESK_CONNECT_ENCRYPTION_KEY.";
        if (Files.isDirectory(absolute)) {
            throw new StartupException("The key file " + absolute + " is a folder." + fix);
        }
        if (Files.exists(absolute) && !Files.isReadable(absolute)) {
            throw new StartupException("Cannot read the key file " + absolute + " (permission denied)." + fix);
        }
        if (!Files.exists(absolute)) {
            Path parent = absolute.getParent();
            try {
                Files.createDirectories(parent);
                Files.delete(Files.createTempFile(parent, ".write-check", ".tmp"));
            } catch (IOException e) {
                throw new StartupException("Cannot create the key file " + absolute + " (" + reason(e) + ")." + fix);
            }
        }
    }

    /** A key that is given (environment) or already on disk must open; nothing is generated here. */
    static void key(HostConfig config) {
        if (config.encryptionKey() == null && !Files.isRegularFile(config.keyFile())) {
            return;
        }
        try {
            SecretBox.load(config.encryptionKey(), config.keyFile());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new StartupException(e.getMessage() + (config.encryptionKey() != null
                    ? ". Set HELPDESK_CONNECT_ENCRYPTION_KEY to the base64 of 32 random bytes (openssl rand -base64 32)."
                    : ". Restore the key file from your backup, or point --key-file at it."));
        }
    }

    static void port(String bindHost, int port) {
        if (port == 0) {
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new StartupException("Cannot listen on " + bindHost + ": unknown host. Set HELPDESK_CONNECT_BIND_HOST "
                    + "(or bind-host in the config file) to an address of this machine, e.g. 0.0.0.0 or 127.0.0.1.");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw portInUse(bindHost, port);
        }
    }

    /** One line for any exception out of {@code Host.start}. */
    static String explain(RuntimeException e, HostConfig config) {
        if (e instanceof StartupException) {
            return e.getMessage();
        }
        if (String.valueOf(e.getMessage()).startsWith("Cannot connect to the database")) {
            // the message names host, database and user, never the password
            return e.getMessage() + ". Check --database-url (or HELPDESK_CONNECT_DATABASE_URL) and "
                    + "HELPDESK_CONNECT_DATABASE_USER / HELPDESK_CONNECT_DATABASE_PASSWORD.";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof BindException || t.getClass().getSimpleName().contains("BindException")
                    || message.toLowerCase(Locale.ROOT).contains("address already in use")) {
                return portInUse(config.bindHost(), config.port()).getMessage();
            }
            if (message.contains("Database may be already in use") || message.contains("file is locked")) {
                return "The database in " + config.dataDir().toAbsolutePath().normalize() + " is in use by another "
                        + "Helpdesk Connect: stop that one, or give this one its own --data-dir.";
            }
            if (t instanceof AccessDeniedException) {
                return "Permission denied: " + message + ". Give this user access, or choose other folders "
                        + "(--data-dir, --key-file).";
            }
        }
        return Database.rootMessage(e);
    }

    private static StartupException portInUse(String bindHost, int port) {
        return new StartupException("Port " + port + " on " + bindHost + " is already in use: stop the program that "
                + "holds it, or choose another port with --port (or HELPDESK_CONNECT_PORT; 0 picks a free one).");
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
