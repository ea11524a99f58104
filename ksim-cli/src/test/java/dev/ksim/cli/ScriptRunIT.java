package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ksim run}: sh -e semantics, set +e, comments, lists, and the quickstart. */
@Tag("integration")
class ScriptRunIT extends CliTestSupport {

    @Test
    void stopsAtTheFirstFailingCommandWithItsStatus() {
        Run r = script("""
                # a comment
                echo one
                cat /nosuch
                echo never
                """);
        assertEquals(new Run(1, "one\n", "cat: /nosuch: No such file or directory\n"), r);
    }

    @Test
    void afterSetPlusEItGoesOnAndExitsWithTheLastStatus() {
        assertEquals(new Run(0, "two\n", "cat: /nosuch: No such file or directory\n"), script("""
                set +e
                cat /nosuch
                echo two
                """));
        assertEquals(new Run(1, "", "cat: /nosuch: No such file or directory\n"), script("""
                set +e
                cat /nosuch
                """));
    }

    @Test
    void conditionsOfAndOrListsDoNotStopTheScript() {
        assertEquals(new Run(0, "fallback\nafter\n", "cat: /nosuch: No such file or directory\n"), script("""
                cat /nosuch && echo no || echo fallback
                echo after
                """));
        assertEquals(new Run(0, "a\nb\n", ""), script("echo a; echo b\n"));
    }

    @Test
    void unknownCommandsAndSyntaxErrorsAreReportedAsBashDoes() {
        assertEquals(new Run(127, "", "test.ksim: line 2: frobnicate: command not found\n"), script("""
                true
                frobnicate --now
                """));
        assertEquals(new Run(2, "", "test.ksim: line 1: unexpected EOF while looking for matching `''\n"),
                script("echo 'unterminated\n"));
        assertEquals(new Run(3, "", ""), script("exit 3\necho no\n"));
    }

    @Test
    void setXTracesCommandsOnStandardError() {
        Run r = script("set -x\necho 'a b' > /tmp/x\ncat /tmp/x\n");
        assertEquals(new Run(0, "a b\n", "+ echo 'a b' >/tmp/x\n+ cat /tmp/x\n"), r);
    }

    @Test
    void aScriptFromStandardInput() {
        assertEquals(new Run(0, "hi\n", ""), ksimWithInput("echo hi\n", "run", "-"));
    }

    @Test
    void aMissingScriptAndBadBootOptions() {
        assertEquals(new Run(1, "", "ksim: nosuch.ksim: No such file or directory\n"), ksim("run", "nosuch.ksim"));
        Run r = ksim("run", "--kernel", "2.6", "x.ksim");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ksim run: unknown kernel profile '2.6' (4.14, 5.10 or 6.8)\n"), r.err());
        assertEquals(2, ksim("run", "--arch", "sparc", "x.ksim").status());
        assertEquals(2, ksim("run", "--cpus", "0", "x.ksim").status());
        assertEquals(2, ksim("run").status());
    }

    @Test
    void bootOptionsReachTheKernel() throws Exception {
        Files.writeString(dir.resolve("v.ksim"), "cat /proc/version\n");
        Run r = ksim("run", "--arch", "arm64", "--cpus", "2", "--seed", "7", "--kernel", "4.14", "v.ksim");
        assertEquals(new Run(0, "Linux version 4.14.336-ksim (ksim@ksim) (javac 17) #1 SMP PREEMPT_DYNAMIC\n", ""), r);
        Files.writeString(dir.resolve("old.ksim"), """
                set +e
                insmod kprobe-example.jar
                insmod kprobe-example.jar symbol=_do_fork
                """);
        Run old = ksim("run", "--kernel", "4.14", "old.ksim");
        assertEquals(new Run(0, "", "insmod: ERROR: could not insert module kprobe-example.jar: Unknown symbol in module\n"),
                old, "kernel_clone is _do_fork on 4.14, as the sample's older version knew");
    }

    @Test
    void theQuickstartLoadsKprobeExampleAndShowsKernelCloneHits() throws Exception {
        Path quickstart = HOME.resolve("examples/quickstart.ksim");
        env = env.withCwd(HOME);
        Run r = ksim("run", quickstart.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("kprobe_example          4096  0\n"), r.out());
        assertTrue(r.out().contains("  k  kernel_clone+0x0    \n"), r.out());
        assertTrue(r.out().contains("kprobe_init: Planted kprobe at "), r.out());
        assertTrue(r.out().contains("handler_pre: <kernel_clone> p->addr = 0x"), r.out());
        assertTrue(r.out().contains("handler_post: <kernel_clone> p->addr = 0x"), r.out());
        assertTrue(r.out().contains("kprobe_exit: kprobe at "), r.out());
        assertTrue(r.err().contains("+ insmod sample-modules/target/kprobe_example.jar\n"), r.err());
    }
}
