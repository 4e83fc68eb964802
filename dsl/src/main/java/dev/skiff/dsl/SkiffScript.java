package dev.skiff.dsl;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import java.util.Map;

/**
 * The base class of Skiff scripts: {@code app(name)} returns an app to register functions and
 * classes in, and {@code localEntrypoint { }} names the code that {@code skiff run} runs after
 * the script body. Scripts that another tool compiled use the {@linkplain ScriptSession#standalone()
 * standalone session}.
 */
public abstract class SkiffScript extends Script {
    protected SkiffScript() {
    }

    protected SkiffScript(Binding binding) {
        super(binding);
    }

    /** Returns the app of this name, creating it on first use; names are 1 to 64 letters, digits, '_', '.' or '-'. */
    public SkiffApp app(String name) {
        return session().app(name);
    }

    /**
     * Returns the app of this name with app-wide options, so far {@code backend: 'docker'} (or
     * {@code 'local'}) for the functions and classes that choose no backend themselves.
     */
    public SkiffApp app(Map<String, ?> options, String name) {
        SkiffApp app = session().app(name);
        for (Map.Entry<String, ?> entry : options.entrySet()) {
            if (!"backend".equals(entry.getKey())) {
                throw new dev.skiff.InvalidException("Unknown app option '" + entry.getKey() + "' for app " + name
                        + "; the app options are backend.");
            }
            app.backend(String.valueOf(entry.getValue()));
        }
        return app;
    }

    /**
     * Declares the code that {@code skiff run} runs once the script body has run. Its parameters
     * come from the command line as {@code --name value}; in the shell it runs at once.
     */
    public void localEntrypoint(
            @DelegatesTo(value = SkiffScript.class, strategy = Closure.OWNER_FIRST) Closure<?> body) {
        session().entrypoint(body);
    }

    /** Returns the session this script runs in. */
    protected ScriptSession session() {
        Binding binding = getBinding();
        return binding instanceof SkiffBinding skiff ? skiff.session() : ScriptSession.standalone();
    }
}
