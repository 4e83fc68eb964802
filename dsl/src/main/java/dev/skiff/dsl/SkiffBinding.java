package dev.skiff.dsl;

import groovy.lang.Binding;

/** The binding of scripts that the skiff command runs: their variables plus the session they belong to. */
public final class SkiffBinding extends Binding {
    private final ScriptSession session;

    public SkiffBinding(ScriptSession session, String[] args) {
        this.session = session;
        setVariable("args", args);
    }

    public ScriptSession session() {
        return session;
    }
}
