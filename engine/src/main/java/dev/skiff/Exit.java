package dev.skiff;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a no-argument method of a {@link Cls} that runs when a worker stops: on scale-down,
 * engine shutdown or termination. It does not run when the worker is killed or times out.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Exit {
}
