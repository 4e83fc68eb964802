package dev.skiff;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link Cls} set from {@link Cls#withParameters}; each distinct set of
 * parameter values gets its own pool of workers. The field keeps its initializer's value when no
 * value is given.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Parameter {
}
