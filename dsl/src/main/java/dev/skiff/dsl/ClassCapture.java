package dev.skiff.dsl;

import org.codehaus.groovy.control.BytecodeProcessor;

/**
 * Records the classes that another tool's Groovy compiler generates, so that scripts it runs can
 * ship them to workers. For the {@code groovy} command, a configuration script given with
 * {@code --configscript} sets it:
 * {@code configuration.bytecodePostprocessor = new dev.skiff.dsl.ClassCapture()}.
 * The skiff command records classes itself and needs none.
 */
public final class ClassCapture implements BytecodeProcessor {
    @Override
    public byte[] processBytecode(String name, byte[] original) {
        ScriptSession.standalone().loader().record(name, original);
        return original;
    }
}
