package dev.skiff.dsl;

import dev.skiff.ContainerProcess;
import dev.skiff.Sandbox;
import java.util.Map;

/**
 * Methods that Groovy adds to {@link Sandbox} (a Groovy extension module): {@code exec} with named
 * options, as in {@code sandbox.exec('make', 'test', workdir: '/src', timeout: 60)}.
 */
public final class SandboxExtensions {
    private SandboxExtensions() {
    }

    /** Starts {@code command} with the named options {@code workdir}, {@code env}, {@code secrets} and {@code timeout}. */
    public static ContainerProcess exec(Sandbox self, Map<String, ?> named, String... command) {
        return self.exec(NamedOptions.execOptions(named), command);
    }
}
