package dev.skiff.dsl.cli;

/**
 * A subcommand of {@code skiff} that a module on the classpath adds, found with
 * {@link java.util.ServiceLoader}. Modules that depend on the DSL, such as the kernel spec installer,
 * list their implementation in {@code META-INF/services/dev.skiff.dsl.cli.SubcommandProvider}.
 */
public interface SubcommandProvider {
    /** Returns a new picocli command object, annotated with {@code @Command} and its name. */
    Object command();
}
