package dev.skiff.dsl.cli;

import dev.skiff.dsl.ClosureSignature;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code --name value} pairs from the command line into the arguments of a closure, by
 * parameter name, converting each value to the parameter's declared type. Untyped parameters get
 * the text. A boolean parameter also takes {@code --name} alone for true and {@code --no-name}
 * for false, and is false when left out. Parameters with default values may be left out.
 */
final class CommandLineArguments {
    private CommandLineArguments() {
    }

    /** Returns the arguments for {@code signature}; {@code owner} names the closure in messages. */
    static Object[] parse(ClosureSignature signature, List<String> words, String owner) throws UsageException {
        List<String> names = signature.names();
        List<Class<?>> types = signature.types();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--") || word.length() == 2) {
                throw new UsageException("unexpected argument '" + word + "' for " + owner
                        + "; give parameters as --name value" + describe(names, types) + ".");
            }
            String name = word.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            int index = names.indexOf(name);
            if (index < 0 && value == null && name.startsWith("no-") && isBoolean(signature, name.substring(3))) {
                values.put(name.substring(3), Boolean.FALSE);
                continue;
            }
            if (index < 0) {
                throw new UsageException("unknown option --" + name + " for " + owner + describe(names, types) + ".");
            }
            Class<?> type = types.get(index);
            if (value == null) {
                boolean flag = (type == boolean.class || type == Boolean.class)
                        && (i + 1 == words.size() || words.get(i + 1).startsWith("--"));
                if (flag) {
                    values.put(name, Boolean.TRUE);
                    continue;
                }
                if (i + 1 == words.size()) {
                    throw new UsageException("missing value for --" + name + " of " + owner + ".");
                }
                value = words.get(++i);
            }
            Object converted = convert(name, value, type);
            Class<?> element = signature.elementTypeOf(name);
            if (converted instanceof List<?> items && element != Object.class && element != String.class) {
                List<Object> typed = new java.util.ArrayList<>();
                for (Object item : items) {
                    typed.add(convert(name, ((String) item).trim(), element));
                }
                converted = List.copyOf(typed);
            }
            values.put(name, converted);
        }
        return arguments(signature, values, owner);
    }

    /**
     * Picks the {@code doCall} method that takes every given parameter and nothing that is missing,
     * counting a missing boolean as false, and returns its arguments.
     */
    private static Object[] arguments(ClosureSignature signature, Map<String, Object> values, String owner)
            throws UsageException {
        for (List<String> overload : signature.overloads()) {
            if (!overload.containsAll(values.keySet())) {
                continue;
            }
            boolean complete = true;
            Object[] arguments = new Object[overload.size()];
            for (int i = 0; i < overload.size(); i++) {
                String name = overload.get(i);
                if (values.containsKey(name)) {
                    arguments[i] = values.get(name);
                } else if (isBoolean(signature, name)) {
                    arguments[i] = Boolean.FALSE;
                } else {
                    complete = false;
                }
            }
            if (complete) {
                return arguments;
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> shortest = signature.overloads().get(signature.overloads().size() - 1);
        for (String name : shortest) {
            if (!values.containsKey(name) && !isBoolean(signature, name)) {
                missing.add("--" + name);
            }
        }
        throw new UsageException("missing " + String.join(", ", missing) + " for " + owner
                + describe(signature.names(), signature.types()) + ".");
    }

    private static boolean isBoolean(ClosureSignature signature, String name) {
        Class<?> type = signature.typeOf(name);
        return type == boolean.class || type == Boolean.class;
    }

    static Object convert(String name, String text, Class<?> type) throws UsageException {
        try {
            if (type == String.class || type == Object.class || type == CharSequence.class) {
                return text;
            }
            if (type == int.class || type == Integer.class) {
                return Integer.valueOf(text.trim());
            }
            if (type == long.class || type == Long.class) {
                return Long.valueOf(text.trim());
            }
            if (type == double.class || type == Double.class) {
                return Double.valueOf(text.trim());
            }
            if (type == float.class || type == Float.class) {
                return Float.valueOf(text.trim());
            }
            if (type == short.class || type == Short.class) {
                return Short.valueOf(text.trim());
            }
            if (type == byte.class || type == Byte.class) {
                return Byte.valueOf(text.trim());
            }
            if (type == BigInteger.class) {
                return new BigInteger(text.trim());
            }
            if (type == BigDecimal.class || type == Number.class) {
                return new BigDecimal(text.trim());
            }
            if (type == boolean.class || type == Boolean.class) {
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(text);
                }
                throw new NumberFormatException(text);
            }
            if (type == List.class || type == java.util.Collection.class || type == Iterable.class) {
                return text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
            }
            if (type.isEnum()) {
                return enumValue(type, text);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value '" + text + "' for --" + name + ": expected " + typeName(type)
                    + ".");
        }
        throw new UsageException("parameter " + name + " has type " + type.getName()
                + ", which the command line cannot give; use a String, a number, a boolean, a List or an enum.");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String text) {
        return Enum.valueOf((Class<? extends Enum>) type, text);
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class
                || type == BigInteger.class) {
            return "a whole number (" + type.getSimpleName() + ")";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "a number (" + type.getSimpleName() + ")";
    }

    private static String describe(List<String> names, List<Class<?>> types) {
        if (names.isEmpty()) {
            return "; it takes no parameters";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String type = types.get(i) == Object.class ? "" : " <" + types.get(i).getSimpleName() + ">";
            parts.add("--" + names.get(i) + type);
        }
        return "; its parameters are " + String.join(", ", parts);
    }
}
