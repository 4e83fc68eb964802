package dev.skiff.dsl.cli;

import dev.skiff.Cls;
import dev.skiff.Function;
import dev.skiff.dsl.ClosureSignature;
import dev.skiff.dsl.ScriptSession;
import dev.skiff.dsl.SkiffApp;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Finds a function, or a method of a class, that a script registered, by name, across the apps it created. */
final class SkiffFunctionLookup {
    private SkiffFunctionLookup() {
    }

    /** A function with the signature of its closure. */
    record Found(Function<Object> function, ClosureSignature signature) {
    }

    /**
     * Finds {@code name}: a function, or {@code Class.method} for a method of a registered class.
     *
     * @throws UsageException naming what the script does register when nothing matches
     */
    static Found find(ScriptSession session, String name, String file) throws UsageException {
        int dot = name.indexOf('.');
        if (dot > 0) {
            return findMethod(session, name.substring(0, dot), name.substring(dot + 1), file);
        }
        List<String> known = new ArrayList<>();
        for (SkiffApp app : session.apps()) {
            var closure = app.closureOf(name);
            if (closure != null) {
                return new Found(app.getFunctions().get(name), ClosureSignature.of(closure));
            }
            known.addAll(app.getFunctions().keySet());
        }
        throw new UsageException("no function '" + name + "' in " + file + "; "
                + (known.isEmpty() ? "it registers no functions." : "its functions are " + String.join(", ", known) + ".")
                + " Name a method of a class as CLASS.METHOD.");
    }

    private static Found findMethod(ScriptSession session, String className, String methodName, String file)
            throws UsageException {
        List<String> known = new ArrayList<>();
        for (SkiffApp app : session.apps()) {
            Cls<?> cls = app.clsOf(className);
            if (cls == null) {
                known.addAll(app.getClassNames());
                continue;
            }
            ClosureSignature signature = ClosureSignature.ofClassMethod(app.typeOf(className), methodName);
            if (signature == null) {
                throw new UsageException("class " + className + " in " + file + " has no @Method named '" + methodName
                        + "'; its methods are " + String.join(", ", new TreeSet<>(cls.methods())) + ".");
            }
            return new Found(cls.<Object>method(methodName), signature);
        }
        throw new UsageException("no class '" + className + "' in " + file + "; "
                + (known.isEmpty() ? "its body registers no classes with app.cls (classes registered inside "
                + "localEntrypoint do not count, because it does not run here)." : "its classes are "
                + String.join(", ", known) + "."));
    }
}
