package dev.skiff.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Streams files and folders of this machine as a tar archive, for copying into containers. */
final class Tarball {
    private Tarball() {
    }

    /**
     * One file, or a folder with everything in it, placed at {@code target} (a path relative to
     * the container's root, without a leading slash).
     */
    record Entry(Path source, String target, boolean tree) {
        static Entry file(Path source, String target) {
            return new Entry(source, strip(target), false);
        }

        static Entry tree(Path source, String target) {
            return new Entry(source, strip(target), true);
        }

        private static String strip(String target) {
            String relative = target;
            while (relative.startsWith("/")) {
                relative = relative.substring(1);
            }
            return relative;
        }
    }

    /** Returns a stream of the archive, written by a background thread as it is read. */
    static InputStream stream(List<Entry> entries) {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out;
        try {
            out = new PipedOutputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread writer = new Thread(() -> {
            try (OutputStream closing = out) {
                write(entries, closing);
            } catch (IOException e) {
                // The reader sees the stream end early; the copy that reads it fails with its own error.
            }
        }, "skiff-tar-writer");
        writer.setDaemon(true);
        writer.start();
        return in;
    }

    static void write(List<Entry> entries, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Entry entry : entries) {
            if (!entry.tree()) {
                parents(tar, entry.target());
                add(tar, entry.source(), entry.target());
                continue;
            }
            parents(tar, entry.target() + "/x");
            try (Stream<Path> paths = Files.walk(entry.source())) {
                for (Path path : paths.sorted().toList()) {
                    String relative = entry.source().relativize(path).toString();
                    add(tar, path, relative.isEmpty() ? entry.target() : entry.target() + "/" + relative);
                }
            }
        }
        tar.finish();
    }

    /** Adds the folders above {@code target}, so that they exist with sensible modes. */
    private static void parents(TarArchiveOutputStream tar, String target) throws IOException {
        StringBuilder path = new StringBuilder();
        String[] parts = target.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            path.append(parts[i]).append('/');
            TarArchiveEntry folder = new TarArchiveEntry(path.toString());
            folder.setMode(040755);
            tar.putArchiveEntry(folder);
            tar.closeArchiveEntry();
        }
    }

    private static void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        if (Files.isDirectory(path)) {
            TarArchiveEntry folder = new TarArchiveEntry(name + "/");
            folder.setMode(040755);
            tar.putArchiveEntry(folder);
            tar.closeArchiveEntry();
            return;
        }
        if (!Files.isRegularFile(path)) {
            return;
        }
        TarArchiveEntry file = new TarArchiveEntry(name);
        file.setSize(Files.size(path));
        file.setMode(Files.isExecutable(path) ? 0100755 : 0100644);
        file.setModTime(Files.getLastModifiedTime(path).toMillis());
        tar.putArchiveEntry(file);
        Files.copy(path, tar);
        tar.closeArchiveEntry();
    }
}
