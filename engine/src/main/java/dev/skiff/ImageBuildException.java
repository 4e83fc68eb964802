package dev.skiff;

/** An image step failed; the message names the step and ends with the last lines of its log. */
public class ImageBuildException extends SkiffException {
    private final String step;
    private final String logTail;

    public ImageBuildException(String message, String step, String logTail) {
        super(message);
        this.step = step;
        this.logTail = logTail;
    }

    /** Returns the failed step as build logs name it, such as {@code aptInstall(curl)}. */
    public String step() {
        return step;
    }

    /** Returns the last lines the step wrote. */
    public String logTail() {
        return logTail;
    }
}
