package dev.skiff.kernel.remote;

import dev.skiff.FunctionBody;
import dev.skiff.serial.Payloads;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function body from a notebook cell together with the values of the top-level variables it
 * may read. JShell keeps those variables in static fields that it sets by running cells, so a
 * worker that only loads the classes would see zeros and nulls. This body sets the fields to the
 * kernel's values, once per worker, before the first call.
 */
public final class SnapshotBody implements FunctionBody {
    private static final long serialVersionUID = 1L;

    private final FunctionBody body;
    /** {@code className#fieldName} to the value serialized with {@link Payloads#serialize}. */
    private final LinkedHashMap<String, byte[]> values;
    private transient volatile boolean restored;

    SnapshotBody(FunctionBody body, Map<String, byte[]> values) {
        this.body = body;
        this.values = new LinkedHashMap<>(values);
    }

    /** Returns the names of the variables carried, as {@code className#fieldName}. */
    public java.util.Set<String> variables() {
        return values.keySet();
    }

    @Override
    public Object invoke(Object[] args) throws Exception {
        if (!restored) {
            restore();
        }
        return body.invoke(args);
    }

    @Override
    public int arity() {
        return body.arity();
    }

    private synchronized void restore() throws Exception {
        if (restored) {
            return;
        }
        ClassLoader loader = body.getClass().getClassLoader();
        for (Map.Entry<String, byte[]> entry : values.entrySet()) {
            String key = entry.getKey();
            int hash = key.indexOf('#');
            Class<?> owner = Class.forName(key.substring(0, hash), true, loader);
            Field field = owner.getDeclaredField(key.substring(hash + 1));
            field.setAccessible(true);
            field.set(null, Payloads.deserialize(entry.getValue(), loader));
        }
        restored = true;
    }
}
