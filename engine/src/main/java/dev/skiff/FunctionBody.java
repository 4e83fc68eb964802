package dev.skiff;

import java.io.Serializable;

/**
 * A function body: a serializable lambda that a worker deserializes and invokes. The nested
 * interfaces give bodies of zero to three arguments and a varargs form; every lambda must capture
 * only serializable values.
 */
public interface FunctionBody extends Serializable {
    /** Invokes the body with {@code args}; the argument count is checked by the caller. */
    Object invoke(Object[] args) throws Exception;

    /** Returns the number of arguments, or -1 for a varargs body. */
    int arity();

    @FunctionalInterface
    interface Of0<R> extends FunctionBody {
        R apply() throws Exception;

        @Override
        default Object invoke(Object[] args) throws Exception {
            return apply();
        }

        @Override
        default int arity() {
            return 0;
        }
    }

    @FunctionalInterface
    interface Of1<A, R> extends FunctionBody {
        R apply(A a) throws Exception;

        @Override
        @SuppressWarnings("unchecked")
        default Object invoke(Object[] args) throws Exception {
            return apply((A) args[0]);
        }

        @Override
        default int arity() {
            return 1;
        }
    }

    @FunctionalInterface
    interface Of2<A, B, R> extends FunctionBody {
        R apply(A a, B b) throws Exception;

        @Override
        @SuppressWarnings("unchecked")
        default Object invoke(Object[] args) throws Exception {
            return apply((A) args[0], (B) args[1]);
        }

        @Override
        default int arity() {
            return 2;
        }
    }

    @FunctionalInterface
    interface Of3<A, B, C, R> extends FunctionBody {
        R apply(A a, B b, C c) throws Exception;

        @Override
        @SuppressWarnings("unchecked")
        default Object invoke(Object[] args) throws Exception {
            return apply((A) args[0], (B) args[1], (C) args[2]);
        }

        @Override
        default int arity() {
            return 3;
        }
    }

    /** A body that takes any number of arguments as an array. */
    @FunctionalInterface
    interface Varargs<R> extends FunctionBody {
        R apply(Object... args) throws Exception;

        @Override
        default Object invoke(Object[] args) throws Exception {
            return apply(args);
        }

        @Override
        default int arity() {
            return -1;
        }
    }
}
