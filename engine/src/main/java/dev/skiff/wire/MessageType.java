package dev.skiff.wire;

/** Type bytes of the messages between the engine and its workers. */
public final class MessageType {
    /** Worker to engine: the worker connected; carries its process id. */
    public static final byte HELLO = 1;
    /** Engine to worker: the code bundle's shipped classes, the body, concurrency and timeout. */
    public static final byte INIT = 2;
    /** Worker to engine: the body is loaded and enter hooks ran. */
    public static final byte READY = 3;
    /** Worker to engine: loading the body or an enter hook failed; carries an error payload. */
    public static final byte INIT_FAILED = 4;
    /** Engine to worker: a batch of inputs (id, method, arguments). */
    public static final byte INPUTS = 5;
    /** Worker to engine: a batch of results (id, status, payload). */
    public static final byte RESULTS = 6;
    /** Engine to worker: cancel one input. */
    public static final byte CANCEL = 7;
    /** Worker to engine: output written by user code, tagged with the input id or -1. */
    public static final byte OUTPUT = 8;
    /** Worker to engine: an input ran past its timeout and the worker is halting. */
    public static final byte TIMED_OUT = 9;
    /** Engine to worker: run exit hooks and exit. */
    public static final byte STOP = 10;
    /** Worker to engine: exit hooks ran and the worker is exiting. */
    public static final byte STOPPED = 11;

    /** Result status: the payload is an encoded value. */
    public static final byte RESULT_OK = 0;
    /** Result status: the payload is an error payload from user code. */
    public static final byte RESULT_ERROR = 1;
    /** Result status: the input was cancelled in the worker; no payload. */
    public static final byte RESULT_CANCELLED = 2;

    /** Body kind in INIT: a serialized {@code FunctionBody}. */
    public static final byte BODY_FUNCTION = 0;
    /** Body kind in INIT: a class name and its parameter values. */
    public static final byte BODY_CLASS = 1;

    private MessageType() {
    }
}
