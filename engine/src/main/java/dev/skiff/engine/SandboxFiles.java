package dev.skiff.engine;

import dev.skiff.InvalidException;
import dev.skiff.NotFoundException;
import dev.skiff.SkiffException;

/** The errors of a sandbox's file methods, worded alike on every backend. */
public final class SandboxFiles {
    private SandboxFiles() {
    }

    public static NotFoundException missing(String sandboxId, String path) {
        return new NotFoundException("No file or folder " + path + " in sandbox " + sandboxId + ".");
    }

    public static NotFoundException missingParent(String sandboxId, String path) {
        return new NotFoundException("Cannot create " + path + " in sandbox " + sandboxId + ": its parent folder "
                + "does not exist; create the parents too with mkdir(path, true).");
    }

    public static InvalidException isFolder(String sandboxId, String path) {
        return new InvalidException(path + " in sandbox " + sandboxId + " is a folder, not a file; list it with ls("
                + "\"" + path + "\").");
    }

    public static InvalidException notFolder(String sandboxId, String path) {
        return new InvalidException(path + " in sandbox " + sandboxId + " is not a folder; read it with readBytes("
                + "\"" + path + "\").");
    }

    public static InvalidException notEmpty(String sandboxId, String path) {
        return new InvalidException("Cannot remove " + path + " in sandbox " + sandboxId + ": the folder is not "
                + "empty; remove it with everything in it with rm(path, true).");
    }

    /** The largest file that {@code readBytes} returns: 1 GiB, well below the limit of a Java array. */
    public static final long MAX_READ_BYTES = 1L << 30;

    public static InvalidException notRegular(String sandboxId, String path) {
        return new InvalidException(path + " in sandbox " + sandboxId + " is not a regular file (a device, a FIFO or "
                + "a socket), which readBytes and writeBytes do not handle; use exec with cat or tee instead.");
    }

    public static SkiffException tooLarge(String sandboxId, String path, long size) {
        return new SkiffException(path + " in sandbox " + sandboxId + " has " + size + " bytes, more than readBytes "
                + "returns (" + MAX_READ_BYTES + "); stream it with exec(\"cat\", \"" + path + "\").stdout() instead.");
    }

    /** Returns the reason of a failed file operation in the words of the exception, for messages. */
    public static String reason(java.io.IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    public static SkiffException exists(String sandboxId, String path) {
        return new SkiffException("Cannot create the folder " + path + " in sandbox " + sandboxId + ": it exists "
                + "already; use mkdir(path, true) to accept an existing folder.");
    }
}
