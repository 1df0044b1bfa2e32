package com.helpdeskconnect.host.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Files only the host's user may read: folders 0700 and files 0600 from the moment they exist
 * (created with those permissions, never tightened afterwards), written atomically. On a file
 * system without POSIX permissions (Windows) the folder's ACL applies.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates the folder (and missing parents) as 0700; an existing folder is narrowed to 0700. */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            narrow(absolute, DIR);
            return;
        }
        if (posix(absolute.getParent())) {
            Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(DIR));
        } else {
            Files.createDirectories(absolute);
        }
    }

    /** Creates an empty file as 0600 if it does not exist, so that whoever writes it later keeps 0600. */
    public static void createFile(Path file) throws IOException {
        try {
            if (posix(file.toAbsolutePath().getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException exists) {
            narrow(file, FILE);
        }
    }

    /**
     * Writes {@code content} to a new 0600 file beside {@code target}, then moves it over the target
     * in one step: a reader sees the old file or the new one, never a half-written or open one.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileAttribute<?>[] attributes = posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(temp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes);
             OutputStream out = Channels.newOutputStream(channel)) {
            out.write(content);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Narrows an existing data folder and its files (from before this release) to 0700 / 0600. */
    public static void narrowExisting(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        narrow(dir, DIR);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    narrow(f, FILE);
                }
            }
        }
    }

    private static void narrow(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (posix(path) && !Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean posix(Path existing) {
        Path p = existing;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && supportsPosix(p);
    }

    private static boolean supportsPosix(Path p) {
        try {
            return Files.getFileStore(p).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
