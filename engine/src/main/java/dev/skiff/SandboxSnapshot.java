package dev.skiff;

import dev.skiff.engine.SandboxBackend;
import dev.skiff.engine.SandboxBackends;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A capture of a sandbox's filesystem, stored under a label: on Docker an image committed from the
 * container, on the local backend an archive of the sandbox's folder. {@link #image()} and
 * {@link #deploy} return an {@link Image} that {@link SandboxOptions#image} accepts, and on Docker
 * {@link FunctionOptions#image} too, so a new sandbox or function starts with the captured files.
 *
 * <pre>{@code
 * sandbox.writeText("/data/model.bin", "weights");
 * SandboxSnapshot snapshot = SandboxSnapshot.create(sandbox, "with-model");
 * Sandbox copy = Sandbox.create(SandboxOptions.defaults().image(snapshot.deploy("model-env")));
 * copy.readText("/data/model.bin");   // "weights"
 * }</pre>
 *
 * <p>Snapshots persist until {@link #delete()}: Docker keeps the images, and the local backend keeps
 * its archives under the Skiff home. Mounted volumes and folders are not part of a snapshot.
 */
public final class SandboxSnapshot {
    /** Labels become Docker image tags and file names: 1 to 63 letters, digits, '_', '.' or '-'. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final String backend;
    private final String label;
    private final String reference;

    private SandboxSnapshot(String backend, String label, String reference) {
        this.backend = backend;
        this.label = label;
        this.reference = reference;
    }

    /**
     * Captures the filesystem of {@code sandbox} under {@code label}, replacing an earlier snapshot
     * of that label. The sandbox keeps running.
     *
     * @throws InvalidException when the label is not 1 to 63 letters, digits, '_', '.' or '-'
     */
    public static SandboxSnapshot create(Sandbox sandbox, String label) {
        Objects.requireNonNull(sandbox, "sandbox");
        checkLabel("label", label);
        SandboxBackend.Instance instance = sandbox.instance();
        return new SandboxSnapshot(instance.backend(), label, instance.snapshot(label));
    }

    /**
     * Returns the snapshot stored under {@code label}, by {@link #create} or {@link #deploy}, in this
     * process or an earlier one: on the local backend first, then on the default backend.
     *
     * @throws NotFoundException when no snapshot has that label
     */
    public static SandboxSnapshot fromName(String label) {
        checkLabel("label", label);
        for (SandboxBackend backend : SandboxBackends.searchOrder()) {
            String reference = backend.findSnapshot(label);
            if (reference != null) {
                return new SandboxSnapshot(backend.name(), label, reference);
            }
        }
        throw new NotFoundException("No sandbox snapshot is labelled '" + label + "'; create one with "
                + "SandboxSnapshot.create(sandbox, \"" + label + "\").");
    }

    /**
     * Stores this snapshot under {@code name} as well, so that {@link #fromName} finds it by that name,
     * and returns it as an image.
     */
    public Image deploy(String name) {
        checkLabel("name", name);
        return Image.fromSnapshot(backend, SandboxBackends.get(backend).nameSnapshot(reference, name));
    }

    /** Returns the snapshot as an image for {@link SandboxOptions#image}, and on Docker {@link FunctionOptions#image}. */
    public Image image() {
        return Image.fromSnapshot(backend, reference);
    }

    /** Removes this snapshot's label; sandboxes already started from it keep their files. */
    public void delete() {
        SandboxBackends.get(backend).deleteSnapshot(label);
    }

    public String label() {
        return label;
    }

    /** Returns the backend that stored the snapshot, {@code docker} or {@code local}. */
    public String backend() {
        return backend;
    }

    private static void checkLabel(String kind, String value) {
        if (value == null || !LABEL.matcher(value).matches()) {
            throw new InvalidException("Invalid snapshot " + kind + " '" + value + "': use 1 to 63 letters, digits, "
                    + "'_', '.' or '-', starting with a letter or digit.");
        }
    }

    @Override
    public String toString() {
        return "SandboxSnapshot[" + label + " on " + backend + "]";
    }
}
