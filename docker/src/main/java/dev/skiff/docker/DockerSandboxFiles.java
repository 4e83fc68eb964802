package dev.skiff.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.skiff.InvalidException;
import dev.skiff.SkiffException;
import dev.skiff.engine.SandboxFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The file methods of a Docker sandbox. Reading and writing use Docker's archive API, which works
 * whether or not the container runs; listing, creating folders and removing run {@link #SCRIPT} with
 * Docker's exec API, so they need a running container with {@code sh}.
 */
final class DockerSandboxFiles {
    /** Most symbolic links that {@link #read} follows before it gives up, as the kernel's own limit does. */
    private static final int MAX_LINKS = 40;
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    /**
     * Runs one file operation ({@code $1}) on one path ({@code $2}). Exit status 3 means the path does
     * not exist, 4 that it is not a folder, and 6 that a folder is not empty. Status 7 means that a
     * folder exists already, 8 that the parent folder is missing, and 5 another failure, described on
     * standard error.
     * Listing prints each name followed by a NUL byte.
     */
    static final String SCRIPT = "p=$2; exists() { [ -e \"$1\" ] || [ -L \"$1\" ]; }; case $1 in "
            + "ls) exists \"$p\" || exit 3; [ -d \"$p\" ] || exit 4; cd -- \"$p\" || exit 5; "
            + "for f in .* *; do case $f in .|..) continue;; esac; exists \"$f\" && printf '%s\\0' \"$f\"; done; exit 0;; "
            + "mkdir) [ -d \"$p\" ] && exit 7; exists \"$p\" && exit 4; [ -d \"$(dirname -- \"$p\")\" ] || exit 8; "
            + "mkdir -- \"$p\" || exit 5;; "
            + "mkdirp) [ -d \"$p\" ] && exit 0; mkdir -p -- \"$p\" || exit 5;; "
            + "rm) exists \"$p\" || exit 3; if [ -d \"$p\" ] && [ ! -L \"$p\" ]; then rmdir -- \"$p\" 2>/dev/null || exit 6; "
            + "else rm -f -- \"$p\" || exit 5; fi;; "
            + "rmr) exists \"$p\" || exit 3; rm -rf -- \"$p\" || exit 5;; "
            + "esac";

    private final DockerSandbox sandbox;
    private final DockerConnection docker;

    DockerSandboxFiles(DockerSandbox sandbox, DockerConnection docker) {
        this.sandbox = sandbox;
        this.docker = docker;
    }

    byte[] read(String path) {
        requireArchivable(path);
        String current = path;
        for (int links = 0; links <= MAX_LINKS; links++) {
            try (InputStream archive = docker.client().copyArchiveFromContainerCmd(sandbox.containerId(), current)
                    .exec();
                    TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
                TarArchiveEntry entry = tar.getNextEntry();
                if (entry == null) {
                    throw SandboxFiles.missing(sandbox.id(), path);
                }
                if (entry.isDirectory()) {
                    throw SandboxFiles.isFolder(sandbox.id(), path);
                }
                if (entry.isSymbolicLink()) {
                    String target = entry.getLinkName();
                    current = target.startsWith("/") ? target
                            : current.substring(0, current.lastIndexOf('/') + 1) + target;
                    continue;
                }
                if (!entry.isFile()) {
                    throw SandboxFiles.notRegular(sandbox.id(), path);
                }
                if (entry.getSize() > SandboxFiles.MAX_READ_BYTES) {
                    throw SandboxFiles.tooLarge(sandbox.id(), path, entry.getSize());
                }
                return tar.readAllBytes();
            } catch (NotFoundException e) {
                if (!sandbox.exists()) {
                    throw sandbox.gone();
                }
                throw SandboxFiles.missing(sandbox.id(), path);
            } catch (DockerException e) {
                throw failure("Reading " + path, e);
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + path + " in sandbox " + sandbox.id() + " failed", e);
            }
        }
        throw new SkiffException("Cannot read " + path + " in sandbox " + sandbox.id() + ": more than " + MAX_LINKS
                + " symbolic links in a row.");
    }

    void write(String path, byte[] content) {
        requireArchivable(path);
        if (isFolder(path)) {
            throw SandboxFiles.isFolder(sandbox.id(), path);
        }
        // The archive is written on another thread into a pipe that the request reads, so the content is
        // never copied: a large write needs no more memory than the caller's array.
        PipedInputStream archive = new PipedInputStream(64 * 1024);
        Thread writer;
        try {
            PipedOutputStream sink = new PipedOutputStream(archive);
            writer = new Thread(() -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sink)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    TarArchiveEntry entry = new TarArchiveEntry(path.substring(1));
                    entry.setSize(content.length);
                    entry.setMode(0644);
                    tar.putArchiveEntry(entry);
                    tar.write(content);
                    tar.closeArchiveEntry();
                } catch (IOException e) {
                    // The request ended early and closed the pipe; its own error is reported.
                }
            }, "skiff-sandbox-write");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer.setDaemon(true);
        writer.start();
        try (archive) {
            docker.client().copyArchiveToContainerCmd(sandbox.containerId()).withRemotePath("/")
                    .withTarInputStream(archive).exec();
        } catch (NotFoundException e) {
            throw sandbox.gone();
        } catch (DockerException e) {
            throw failure("Writing " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rejects paths on the kernel's filesystems, which Docker's archive API does not reach: it would
     * read and write the container's image layer under them, which processes in the sandbox do not see.
     */
    private void requireArchivable(String path) {
        for (String mount : List.of("/proc", "/sys", "/dev")) {
            if (path.equals(mount) || path.startsWith(mount + "/")) {
                throw new InvalidException(path + " in sandbox " + sandbox.id() + " is on the kernel's " + mount
                        + " filesystem, which readBytes and writeBytes do not reach on Docker; use exec with cat or "
                        + "tee instead.");
            }
        }
    }

    /** Returns an error with the daemon's message, without the daemon's storage paths. */
    private SkiffException failure(String what, DockerException e) {
        String message = DockerConnection.daemonMessage(e).replaceAll("/var/lib/docker/[^ ]*/merged", "");
        return new SkiffException(what + " in sandbox " + sandbox.id() + " failed: " + message, e);
    }

    /** Returns true when {@code path} is a folder, reading only the first header of its archive. */
    private boolean isFolder(String path) {
        try (InputStream archive = docker.client().copyArchiveFromContainerCmd(sandbox.containerId(), path).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry entry = tar.getNextEntry();
            return entry != null && entry.isDirectory();
        } catch (NotFoundException e) {
            if (!sandbox.exists()) {
                throw sandbox.gone();
            }
            return false;
        } catch (DockerException e) {
            throw failure("Checking " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Checking " + path + " in sandbox " + sandbox.id() + " failed", e);
        }
    }

    List<String> list(String path) {
        Result result = run("ls", path);
        switch (result.code) {
            case 0 -> {
                List<String> names = new ArrayList<>();
                for (String name : result.stdout.split("\0")) {
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                }
                names.sort(null);
                return List.copyOf(names);
            }
            case 3 -> throw SandboxFiles.missing(sandbox.id(), path);
            case 4 -> throw SandboxFiles.notFolder(sandbox.id(), path);
            default -> throw result.failure("Listing " + path);
        }
    }

    void makeDirectory(String path, boolean parents) {
        Result result = run(parents ? "mkdirp" : "mkdir", path);
        switch (result.code) {
            case 0 -> {
            }
            case 4 -> throw SandboxFiles.notFolder(sandbox.id(), path);
            case 7 -> throw SandboxFiles.exists(sandbox.id(), path);
            case 8 -> throw SandboxFiles.missingParent(sandbox.id(), path);
            default -> throw result.failure("Creating the folder " + path);
        }
    }

    void remove(String path, boolean recursive) {
        Result result = run(recursive ? "rmr" : "rm", path);
        switch (result.code) {
            case 0 -> {
            }
            case 3 -> throw SandboxFiles.missing(sandbox.id(), path);
            case 6 -> throw SandboxFiles.notEmpty(sandbox.id(), path);
            default -> throw result.failure("Removing " + path);
        }
    }

    /** Runs {@link #SCRIPT} for one operation and collects its output and exit status. */
    private Result run(String operation, String path) {
        String execId;
        try {
            execId = docker.client().execCreateCmd(sandbox.containerId())
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withCmd("sh", "-c", SCRIPT, "sh", operation, path)
                    .exec().getId();
        } catch (NotFoundException e) {
            throw sandbox.gone();
        } catch (ConflictException e) {
            throw new SkiffException("Cannot change files in sandbox " + sandbox.id() + ": its container is not "
                    + "running (" + e.getMessage().strip() + "). Read and write files still work; for the rest, create "
                    + "a new sandbox.", e);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).writeBytes(frame.getPayload());
            }
        };
        try (ResultCallback.Adapter<Frame> running = docker.client().execStartCmd(execId).exec(callback)) {
            if (!running.awaitCompletion(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new SkiffException(operation + " " + path + " in sandbox " + sandbox.id() + " did not finish "
                        + "within " + COMMAND_TIMEOUT_SECONDS + " s.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("Interrupted during " + operation + " " + path + " in sandbox " + sandbox.id(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Long code = docker.client().inspectExecCmd(execId).exec().getExitCodeLong();
        return new Result(code == null ? -1 : code.intValue(), stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8));
    }

    private final class Result {
        final int code;
        final String stdout;
        final String stderr;

        Result(int code, String stdout, String stderr) {
            this.code = code;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        SkiffException failure(String what) {
            String errors = stderr.strip();
            if (errors.length() > 2000) {
                errors = errors.substring(0, 2000) + " … (" + (errors.length() - 2000) + " more characters)";
            }
            String hint = code == 126 || code == 127 ? " The sandbox's image needs sh and coreutils for ls, mkdir and "
                    + "rm." : "";
            return new SkiffException(what + " in sandbox " + sandbox.id() + " failed with exit status " + code
                    + (errors.isEmpty() ? "." : ": " + errors) + hint);
        }
    }
}
