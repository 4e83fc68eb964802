package dev.skiff;

/** A named app, function, class or call that does not exist. */
public class NotFoundException extends SkiffException {
    public NotFoundException(String message) {
        super(message);
    }
}
