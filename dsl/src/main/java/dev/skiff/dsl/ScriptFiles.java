package dev.skiff.dsl;

import groovy.lang.Script;
import java.io.IOException;
import java.nio.file.Path;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.runtime.InvokerHelper;

/** Compiles a script file in a session and creates its script object, not yet run. */
public final class ScriptFiles {
    private ScriptFiles() {
    }

    /**
     * Compiles {@code file} with the session's class loader, which records its classes, or takes its
     * classes from {@link CompiledScripts}' cache, and returns
     * the script object bound to a {@link SkiffBinding} holding {@code args}.
     *
     * @throws CompilationFailedException with Groovy's own messages when the file does not compile
     */
    public static Script compile(ScriptSession session, Path file, String[] args) throws IOException {
        return create(CompiledScripts.load(session, file), session, args);
    }

    /** Returns a script object of the compiled {@code type}, bound to a {@link SkiffBinding} holding {@code args}. */
    public static Script create(Class<?> type, ScriptSession session, String[] args) {
        return InvokerHelper.createScript(type, new SkiffBinding(session, args));
    }
}
