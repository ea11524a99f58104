package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every module error of the issue, reproduced from a script: kmod's message on standard error, the
 * kernel's lines in dmesg, and the exit status.
 */
@Tag("integration")
class ModuleErrorsIT extends CliTestSupport {

    @Test
    void aNonGplModuleCannotUseTheKprobesApi() {
        Run r = script("""
                insmod --ignore-check proprietary.java
                """);
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("proprietary.java:7:32: error: GPL-incompatible module proprietary.ko uses "
                + "GPL-only symbol 'register_kprobe' [license-gpl-only]\n"), r.err());
        assertTrue(r.err().endsWith("2 errors, 0 warnings (1 file checked)\n"
                + "insmod: ERROR: could not insert module proprietary.java: Unknown symbol in module\n"), r.err());
        Run d = script("""
                set +e
                insmod --ignore-check proprietary.java
                dmesg -t
                """);
        assertEquals("""
                Linux version 6.8.0-ksim (ksim@ksim) (javac 17) #1 SMP PREEMPT_DYNAMIC
                proprietary: loading out-of-tree module taints kernel.
                proprietary: module license 'Proprietary' taints kernel.
                Disabling lock debugging due to kernel taint
                proprietary: module verification failed: signature and/or required key missing - tainting kernel
                proprietary: Unknown symbol register_kprobe (err -2)
                proprietary: Unknown symbol unregister_kprobe (err -2)
                """, d.out());
    }

    @Test
    void theSandboxRefusesSimulatorInternalsReflectionThreadsFilesSocketsAndExit() {
        Run r = script("""
                set +e
                insmod escape.java
                dmesg -t -l warn
                lsmod
                """);
        assertEquals("insmod: ERROR: could not insert module escape.java: Unknown symbol in module\n", r.err());
        assertEquals("""
                escape: loading out-of-tree module taints kernel.
                escape: Unknown symbol java.lang.reflect.Method (err -2)
                escape: Unknown symbol java.io.FileInputStream (err -2)
                escape: Unknown symbol java.net.Socket (err -2)
                escape: Unknown symbol java.lang.Class.forName (err -2)
                escape: Unknown symbol java.lang.Class.getDeclaredMethods (err -2)
                escape: Unknown symbol java.lang.Thread.<init> (err -2)
                escape: Unknown symbol java.lang.Thread.start (err -2)
                escape: Unknown symbol java.lang.System.exit (err -2)
                Module                  Size  Used by
                """, r.out());
    }

    @Test
    void initReturningAnErrnoFailsInsmodWithKmodsMessage() {
        assertEquals(new Run(1, "", "insmod: ERROR: could not insert module invalid.java: Invalid parameters\n"),
                script("insmod invalid.java\n"));
        assertEquals(new Run(1, "", "insmod: ERROR: could not insert module eperm.java: Operation not permitted\n"),
                script("insmod eperm.java\n"));
    }

    @Test
    void initReturningPositiveIsWarnedAboutAndLoads() {
        Run r = script("""
                insmod odd.java
                dmesg -t -l warn
                lsmod
                """);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("""
                do_init_module: 'odd'->init suspiciously returned 1, it should follow 0/-E convention
                do_init_module: loading module anyway...
                """), r.out());
        assertTrue(r.out().endsWith("odd                     4096  0\n"), r.out());
    }

    @Test
    void loadingTheSameNameTwiceIsFileExists() {
        Run r = script("""
                insmod kprobe-example.jar
                insmod kprobe-example.jar
                """);
        assertEquals(new Run(1, "", "insmod: ERROR: could not insert module kprobe-example.jar: File exists\n"), r);
    }

    @Test
    void badParametersGetTheKernelsWords() {
        Run r = script("""
                set +e
                insmod params.java count=abc
                insmod params.java tag=muchtoolong
                insmod params.java limit=-1 count=2
                dmesg -t -l err
                insmod params.java nosuch=1 verbose count=0x10
                dmesg -t -l warn,info | :
                """.replace(" | :", ""));
        assertEquals("""
                insmod: ERROR: could not insert module params.java: Invalid parameters
                insmod: ERROR: could not insert module params.java: No space left on device
                insmod: ERROR: could not insert module params.java: Invalid parameters
                """, r.err());
        assertTrue(r.out().startsWith("""
                params: `abc' invalid for parameter `count'
                tag: string doesn't fit in 7 chars.
                params: `muchtoolong' too large for parameter `tag'
                params: `-1' invalid for parameter `limit'
                """), r.out());
        assertTrue(r.out().contains("params: unknown parameter 'nosuch' ignored\nparams: count=16 limit=0 verbose=1 tag=t\n"),
                r.out());
        assertEquals(0, r.status());
    }

    @Test
    void parametersAreInSysfsWithTheirPermissions() {
        Run r = script("""
                set +e
                insmod params.java tag=abc
                cat /sys/module/params/parameters/count
                cat /sys/module/params/parameters/tag
                echo 42 > /sys/module/params/parameters/count
                cat /sys/module/params/parameters/count
                echo nope > /sys/module/params/parameters/count
                echo 1 > /sys/module/params/parameters/limit
                echo Y > /sys/module/params/parameters/verbose
                cat /sys/module/params/parameters/verbose
                cat /sys/module/params/parameters/hidden
                ls /sys/module/params/parameters
                """);
        assertEquals("3\nabc\n42\nY\ncount\nlimit\nname\ntag\nverbose\n", r.out());
        assertEquals("""
                test.ksim: line 7: echo: write error: Invalid argument
                test.ksim: line 8: /sys/module/params/parameters/limit: Permission denied
                cat: /sys/module/params/parameters/hidden: No such file or directory
                """, r.err());
        assertEquals(0, r.status());
    }

    @Test
    void rmmodOfAModuleNotLoadedInUseOrWithoutExit() {
        Run r = script("""
                set +e
                rmmod nosuch
                insmod lib.java
                insmod user.java
                lsmod
                rmmod lib
                rmmod -f lib
                insmod permanent.java
                rmmod permanent
                """);
        assertEquals("""
                Module                  Size  Used by
                user                    4096  0
                lib                     4096  1 user
                """, r.out());
        assertEquals("""
                rmmod: ERROR: Module nosuch is not currently loaded
                rmmod: ERROR: Module lib is in use by: user
                rmmod: ERROR: could not remove module lib: Resource temporarily unavailable
                rmmod: ERROR: could not remove module permanent: Device or resource busy
                """, r.err());
        assertEquals(1, r.status());
    }

    @Test
    void forcedRemovalAndNamesWithDashes() {
        Run r = script("""
                insmod permanent.java
                rmmod -f permanent
                insmod kprobe-example.jar
                rmmod kprobe-example
                lsmod
                cat /proc/sys/kernel/tainted
                dmesg -t -l warn
                """);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Module                  Size  Used by\n12296\n"), r.out());
        assertTrue(r.out().endsWith("Disabling lock debugging due to kernel taint\n"), r.out());
    }

    @Test
    void probesOnAModulesFunctionsBecomeGoneWhenItUnloads() {
        Run r = script("""
                insmod target.java
                insmod watcher.java
                cat /sys/kernel/debug/kprobes/list
                rmmod target
                cat /sys/kernel/debug/kprobes/list
                rmmod watcher
                cat /sys/kernel/debug/kprobes/list
                """);
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].matches("[0-9a-f]{16}  k  work\\+0x0  target "), lines[0]);
        assertTrue(lines[1].matches("([0-9a-f]{16})  k  0x\\1 \\[GONE\\]"), lines[1]);
    }

    @Test
    void leakedProbesAreNamedAndRemoved() {
        Run r = script("""
                set +e
                insmod quitter.java
                insmod --ignore-check leaky.java
                rmmod leaky
                cat /sys/kernel/debug/kprobes/list
                dmesg -t -l warn
                """);
        assertTrue(r.err().startsWith("insmod: ERROR: could not insert module quitter.java: Cannot allocate memory\n"
                + "leaky.java:9:60: error: kprobe 'kp' registered in init() is not unregistered in exit()"), r.err());
        assertTrue(r.out().contains("quitter: kprobe at do_unlinkat+0x0/0x40 still registered after its init failed "
                + "with -12: ksim unregistered it (a real kernel would call the freed handler on its next hit and crash)\n"),
                r.out());
        assertTrue(r.out().contains("leaky: kprobe at kernel_clone+0x0/0x30 still registered after its exit(): ksim "
                + "unregistered it (a real kernel would call the freed handler on its next hit and crash)\n"), r.out());
    }

    @Test
    void anOopsInInitKillsInsmodLikeASignal() {
        Run r = script("""
                set +e
                insmod crash.java
                cat /proc/modules
                rmmod crash
                """);
        assertTrue(r.err().matches("test.ksim: line 2: +\\d+ Segmentation fault      insmod crash.java\n"
                + "rmmod: ERROR: could not remove module crash: Device or resource busy\n"), r.err());
        assertTrue(r.out().matches("crash 4096 0 - Loading 0x[0-9a-f]{16} \\(OE\\+\\)\n"), r.out());
        assertEquals(1, r.status());
    }

    @Test
    void withPanicOnOopsAnOopsStopsTheKernelAndDmesgStillReadsTheLog() {
        Run r = script("""
                set +e
                echo 1 > /proc/sys/kernel/panic_on_oops
                insmod crash.java
                lsmod
                dmesg -t -l emerg
                """);
        assertEquals("""
                Kernel panic - not syncing: Fatal exception
                insmod: the kernel has panicked and is stopped (dmesg shows the report)
                Kernel panic - not syncing: Fatal exception
                lsmod: the kernel has panicked and is stopped (dmesg shows the report)
                """, r.err());
        assertEquals("""
                Kernel panic - not syncing: Fatal exception
                Kernel Offset: disabled
                ---[ end Kernel panic - not syncing: Fatal exception ]---
                """, r.out());
    }

    @Test
    void javaModulesThatDoNotCompileFailLikeABuild() {
        Run r = script("insmod broken.java\n");
        assertEquals(new Run(1, "", """
                broken.java:7: error: cannot find symbol
                        pr_inf("oops\\n");
                        ^
                  symbol:   method pr_inf(String)
                  location: class Broken
                1 error
                insmod: ERROR: could not load module broken.java: Exec format error
                """), r);
    }

    @Test
    void missingFilesAndNonModules() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "hello");
        Run r = script("""
                set +e
                insmod nosuch.jar
                insmod notes.txt
                insmod .
                insmod -
                """);
        assertEquals("""
                insmod: ERROR: could not load module nosuch.jar: No such file or directory
                insmod: ERROR: could not insert module notes.txt: Invalid module format
                insmod: ERROR: could not insert module .: Is a directory
                insmod: ERROR: this tool does not support loading from stdin!
                """, r.err());
    }

    @Test
    void modprobeFindsModulesByNameAndReportsInItsOwnWords() {
        Run r = script("""
                set +e
                modprobe nosuch
                modprobe kprobe_example symbol=nosuch
                modprobe kprobe-example
                modprobe kprobe_example
                modprobe --first-time kprobe_example
                lsmod
                modprobe -r kprobe_example
                modprobe -r kprobe_example
                """);
        assertEquals("Module                  Size  Used by\nkprobe_example          4096  0\n", r.out());
        assertEquals("modprobe: FATAL: Module nosuch not found in directory " + HOME.resolve("sample-modules/target/classes")
                + "\nmodprobe: ERROR: could not insert 'kprobe_example': Unknown symbol in module, or unknown parameter "
                + "(see dmesg)\nmodprobe: ERROR: could not insert 'kprobe_example': Module already in kernel\n", r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(new Run(2, "", "insmod: ERROR: missing filename.\n"), script("insmod\n"));
        assertEquals(new Run(2, "", "rmmod: ERROR: missing module name.\n"), script("rmmod\n"));
        assertEquals(new Run(2, "", "modprobe: ERROR: missing parameters. See -h.\n"), script("modprobe\n"));
        assertEquals(new Run(2, "", "modinfo: ERROR: missing module or filename.\n"), script("modinfo\n"));
        assertEquals(new Run(2, "", "lsmod: ERROR: too many arguments provided.\n"), script("lsmod x\n"));
        assertEquals(new Run(2, "", "insmod: invalid option -- 'z'\n"), script("insmod -z x.jar\n"));
        assertEquals(new Run(2, "", "rmmod: unrecognized option '--nope'\n"), script("rmmod --nope x\n"));
        assertEquals(new Run(2, "", "dmesg: unknown level 'loud'\n"), script("dmesg -l loud\n"));
    }
}
