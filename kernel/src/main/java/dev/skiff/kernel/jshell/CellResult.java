package dev.skiff.kernel.jshell;

import java.util.List;

/**
 * The outcome of running one cell.
 *
 * @param status whether the cell completed, failed or was interrupted
 * @param hasValue whether the cell ended with an expression whose value should be shown
 * @param value that value as an object, for rich display
 * @param valueText that value as text: as JShell prints it in Java cells, such as {@code "hi"} with quotes,
 *     and as {@code skiff shell} prints it in Groovy cells, such as {@code hi}
 * @param ename error name, such as {@code IllegalStateException} or {@code CompilationError}
 * @param evalue error message
 * @param traceback error lines for the frontend
 */
public record CellResult(Status status, boolean hasValue, Object value, String valueText, String ename,
        String evalue, List<String> traceback) {

    public enum Status { OK, ERROR, INTERRUPTED }

    public CellResult {
        traceback = List.copyOf(traceback);
    }

    public static CellResult ok() {
        return new CellResult(Status.OK, false, null, null, null, null, List.of());
    }

    public static CellResult value(Object value, String valueText) {
        return new CellResult(Status.OK, true, value, valueText, null, null, List.of());
    }

    public static CellResult error(String ename, String evalue, List<String> traceback) {
        return new CellResult(Status.ERROR, false, null, null, ename, evalue, traceback);
    }

    public static CellResult interrupted() {
        return new CellResult(Status.INTERRUPTED, false, null, null, "Interrupted",
                "The cell was interrupted.", List.of("Interrupted: the cell was interrupted."));
    }

    public boolean isOk() {
        return status == Status.OK;
    }
}
