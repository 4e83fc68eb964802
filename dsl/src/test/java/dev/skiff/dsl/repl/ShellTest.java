package dev.skiff.dsl.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.dsl.CliProcess;
import dev.skiff.dsl.WorkerProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff shell} driven through a pseudo-terminal, as a person at a keyboard would use it. */
class ShellTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path home;
    CliProcess skiff;
    PtySession shell;

    @BeforeEach
    void start() throws Exception {
        skiff = new CliProcess(home);
        var builder = skiff.builder(skiff.command("shell"));
        builder.environment().put("TERM", "xterm");
        shell = new PtySession(builder, skiff.command("shell"));
        shell.expect("Type :help for help, :quit to leave.", WAIT);
        shell.expect("skiff> ", WAIT);
    }

    @AfterEach
    void stop() throws InterruptedException {
        shell.close();
        assertThat(WorkerProcesses.remaining(skiff.marker(), Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void functionsDefinedAtPromptRunRemotely() throws Exception {
        shell.type("def demo = app('shell')\n");
        shell.expect("==> SkiffApp[shell]", WAIT);
        shell.type("int factor = 10\n");
        shell.expect("==> 10", WAIT);
        shell.type("def scale = demo.function('scale') { int x ->\n");
        shell.expect("...> ", WAIT);
        shell.type("  x * factor\n");
        shell.type("}\n");
        shell.expect("==> Function[shell/scale]", WAIT);

        shell.type("scale.remote(4)\n");
        shell.expect("==> 40", WAIT);
        shell.type("scale.map(1..3)\n");
        shell.expect("==> [10, 20, 30]", WAIT);
        shell.type("scale.spawn(5).get()\n");
        shell.expect("==> 50", WAIT);
        shell.type(":quit\n");
        shell.expect("Stopping workers.", WAIT);

        assertThat(shell.waitFor(WAIT)).isZero();
    }

    @Test
    void classDefinedAtPromptRunsAsCls() throws Exception {
        shell.type("class Tally { private int n\n");
        shell.type("  @Method int add(int x) { n += x } }\n");
        shell.expect("skiff> ", WAIT);
        shell.type("tally = app('shell').cls(Tally, maxContainers: 1).method('add')\n");
        shell.expect("==> Function[shell/Tally.add]", WAIT);
        shell.type("[tally.remote(2), tally.remote(3)]\n");
        shell.expect("==> [2, 5]", WAIT);
        shell.expect("skiff> ", WAIT);
        shell.type("\u0004");
        shell.expect("Stopping workers.", WAIT);

        assertThat(shell.waitFor(WAIT)).isZero();
    }

    @Test
    void tabCompletesMethodsOfVariables() throws Exception {
        shell.type("square = app('shell').function('square') { it * it }\n");
        shell.expect("==> Function[shell/square]", WAIT);
        shell.type("square.rem\t");
        shell.expect("square.remote", WAIT);
        shell.type("(9)\n");
        shell.expect("==> 81", WAIT);
        shell.type(":q\t\n");
        shell.expect("Stopping workers.", WAIT);

        assertThat(shell.waitFor(WAIT)).isZero();
    }

    @Test
    void errorsKeepShellRunning() throws Exception {
        shell.type("1 +* 2\n");
        shell.expect("input:1:3: Unexpected input: '+'", WAIT);
        shell.type("boom = app('shell').function('boom') { -> throw new IllegalStateException('bad') }\n");
        shell.expect("==> Function[shell/boom]", WAIT);
        shell.type("boom.remote()\n");
        shell.expect("Error: java.lang.IllegalStateException: bad (raised in a worker)", WAIT);
        shell.expect("type :trace to see them", WAIT);
        shell.type(":trace\n");
        shell.expect("at dev.skiff.worker.WorkerMain", WAIT);
        shell.type("6 * 7\n");
        shell.expect("==> 42", WAIT);
        shell.type(":help\n");
        shell.expect(":quit, :exit  leave the shell", WAIT);
        shell.type(":exit\n");

        assertThat(shell.waitFor(WAIT)).isZero();
    }

    @Test
    void historyIsKeptUnderSkiffHome() throws Exception {
        shell.type("greeting = 'hello'\n");
        shell.expect("==> hello", WAIT);
        shell.type(":quit\n");
        assertThat(shell.waitFor(WAIT)).isZero();

        assertThat(Files.readString(home.resolve("shell_history"))).contains(":greeting = 'hello'\n", "::quit\n");
    }
}
