package dev.skiff.dsl.cli;

import dev.skiff.Function;
import dev.skiff.dsl.ClosureSignature;
import dev.skiff.dsl.ScriptSession;
import dev.skiff.dsl.SkiffApp;
import java.util.ArrayList;
import java.util.List;

/** Finds a function that a script registered, by name, across the apps it created. */
final class SkiffFunctionLookup {
    private SkiffFunctionLookup() {
    }

    /** A function with the signature of its closure. */
    record Found(Function<Object> function, ClosureSignature signature) {
    }

    static Found find(ScriptSession session, String name, String file) throws UsageException {
        List<String> known = new ArrayList<>();
        for (SkiffApp app : session.apps()) {
            var closure = app.closureOf(name);
            if (closure != null) {
                return new Found(app.getFunctions().get(name), ClosureSignature.of(closure));
            }
            known.addAll(app.getFunctions().keySet());
        }
        throw new UsageException("no function '" + name + "' in " + file + "; "
                + (known.isEmpty() ? "it registers no functions." : "its functions are " + String.join(", ", known) + "."));
    }
}
