package dev.skiff.engine;

import dev.skiff.FunctionOptions;
import dev.skiff.code.CodeBundle;
import dev.skiff.wire.MessageType;
import dev.skiff.wire.MessageWriter;
import java.util.Map;

/**
 * The code that the workers of one pool run: a function body, or a class with one set of parameter values.
 * Pools are keyed by {@link #key()}; two specs with the same key share workers.
 *
 * @param key unique pool key, such as the function id plus a hash of the class parameters
 * @param name the function or class name, for logs and output tags
 * @param bundle the code the workers load
 * @param body the serialized function body, or null for a class
 * @param className the class to instantiate, or null for a function
 * @param parameters the encoded class parameter values, or null for a function
 */
public record PoolSpec(String key, String name, CodeBundle bundle, byte[] body, String className, byte[] parameters,
        FunctionOptions options) {

    /** Builds the INIT message that loads this spec in a worker. */
    byte[] initMessage() {
        Map<String, byte[]> classes = bundle.classes();
        int size = 64 + (body == null ? 0 : body.length) + (parameters == null ? 0 : parameters.length);
        for (byte[] bytes : classes.values()) {
            size += bytes.length + 64;
        }
        MessageWriter message = new MessageWriter(MessageType.INIT, size);
        message.putInt(classes.size());
        classes.forEach((className, bytes) -> message.putString(className).putBytes(bytes));
        message.putInt(options.concurrentInputs());
        message.putLong(options.timeout().toMillis());
        if (body != null) {
            message.putByte(MessageType.BODY_FUNCTION).putBytes(body);
        } else {
            message.putByte(MessageType.BODY_CLASS).putString(className).putBytes(parameters);
        }
        return message.toByteArray();
    }
}
