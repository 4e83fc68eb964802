package dev.skiff.kernelspec;

/** The install location of a kernel spec, as with {@code jupyter kernelspec install}. */
public enum Location {
    /** The system-wide folder, {@code /usr/local/share/jupyter/kernels}. */
    SYSTEM,
    /** The user's Jupyter data folder: {@code $JUPYTER_DATA_DIR/kernels}, or {@code ~/.local/share/jupyter/kernels}. */
    USER,
    /** The kernels folder of the Python environment that {@code python3} runs in ({@code sys.prefix}). */
    SYS_PREFIX,
    /** {@code PREFIX/share/jupyter/kernels} for a given prefix. */
    PREFIX
}
