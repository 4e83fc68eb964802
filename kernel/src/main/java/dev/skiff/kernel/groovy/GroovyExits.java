package dev.skiff.kernel.groovy;

import dev.skiff.kernel.jshell.CellExit;
import groovy.lang.GroovyShell;

/**
 * Redirects {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in Groovy cells to
 * {@link CellExit}, so that the cell stops and the kernel keeps running. Groovy cells call these
 * methods through Groovy's metaclasses, so the kernel replaces the methods there, once for its JVM.
 * The classes of cells stay unchanged, and workers that load them keep the JDK's methods. NOTE: a
 * {@code @CompileStatic} method calls the JDK's methods directly, so there they still end the kernel.
 */
final class GroovyExits {
    private static final String SCRIPT = """
            System.metaClass.static.exit = { int status -> %1$s.exit(status) }
            Runtime.metaClass.exit = { int status -> %1$s.runtimeExit((Runtime) delegate, status) }
            Runtime.metaClass.halt = { int status -> %1$s.runtimeHalt((Runtime) delegate, status) }
            """.formatted(CellExit.class.getName());
    private static boolean installed;

    private GroovyExits() {
    }

    /** Replaces the methods in the metaclasses of {@code System} and {@code Runtime}, the first time only. */
    static synchronized void install() {
        if (!installed) {
            new GroovyShell(GroovyExits.class.getClassLoader()).evaluate(SCRIPT);
            installed = true;
        }
    }
}
