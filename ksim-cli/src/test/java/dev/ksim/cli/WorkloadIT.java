package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The workload commands: processes that call the kernel, with coreutils' messages. */
@Tag("integration")
class WorkloadIT extends CliTestSupport {

    @Test
    void filesThroughSystemCalls() {
        Run r = script("""
                set +e
                mkdir /tmp/d
                mkdir /tmp/d
                mkdir -p /tmp/d/e/f
                touch /tmp/d/a /tmp/d/b
                echo hello > /tmp/d/a
                echo world >> /tmp/d/a
                cat /tmp/d/a
                mv /tmp/d/a /tmp/d/c
                ls /tmp/d
                ls /tmp/nosuch
                rm /tmp/d
                rm -r /tmp/d
                rm /tmp/d/b
                rm -f /tmp/d/b
                cat /tmp
                touch /nosuch/x
                mv /tmp/nope /tmp/x
                """);
        assertEquals("hello\nworld\nb\nc\ne\n", r.out());
        assertEquals("""
                mkdir: cannot create directory '/tmp/d': File exists
                ls: cannot access '/tmp/nosuch': No such file or directory
                rm: cannot remove '/tmp/d': Is a directory
                rm: cannot remove '/tmp/d/b': No such file or directory
                cat: /tmp: Is a directory
                touch: cannot touch '/nosuch/x': No such file or directory
                mv: cannot stat '/tmp/nope': No such file or directory
                """, r.err());
    }

    @Test
    void procSysAndDebugfsViews() {
        Run r = script("""
                set +e
                insmod hello.java
                cat /proc/modules
                cat /sys/kernel/debug/kprobes/enabled
                echo 0 > /sys/kernel/debug/kprobes/enabled
                cat /sys/kernel/debug/kprobes/list
                echo 1 > /sys/kernel/debug/kprobes/enabled
                cat /proc/sys/kernel/tainted
                echo x > /proc/kallsyms
                """);
        assertTrue(r.out().matches("(?s)hello 4096 0 - Live 0x[0-9a-f]{16} \\(OE\\)\n1\n[0-9a-f]{16}  k  kernel_clone\\+0x0"
                + "    \n12288\n"), r.out());
        assertEquals("test.ksim: line 9: /proc/kallsyms: Permission denied\n", r.err());
    }

    @Test
    void everyCommandIsAProcessThatPassesKernelClone() {
        Run r = script("""
                insmod hello.java
                sh -c 'touch /tmp/a; ls /tmp'
                sleep 0.01
                stress --procs 2 --ops 5 --quiet
                rmmod hello
                dmesg -t
                """);
        assertEquals(0, r.status(), r.err());
        long forks = r.out().lines().filter(l -> l.equals("hello: kernel_clone called")).count();
        // sh forks sh, touch, ls; sleep; stress and its 2 workers, each forking twice; rmmod and dmesg.
        assertTrue(forks >= 10, r.out());
        assertTrue(r.out().contains("hello: " + forks + " calls\n"), r.out());
    }

    @Test
    void stressReportsAsTheStressToolDoes() {
        Run r = script("stress --procs 3 --ops 10\n");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("stress: info: \\[\\d+\\] dispatching hogs: 3 procs, 10 ops each\n"
                + "stress: info: \\[\\d+\\] successful run completed in [0-9.]+s \\(30 ops\\)\n"), r.out());
    }

    @Test
    void backgroundJobsAndWait() {
        Run r = script("""
                insmod hello.java
                stress --procs 2 --seconds 0.2 --quiet &
                lsmod
                wait
                rmmod hello
                """);
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void dmesgOptions() {
        Run r = script("""
                dmesg -C
                dmesg
                insmod hello.java
                dmesg -c -t -l info
                dmesg
                """);
        // dmesg is a process too: its own fork shows up in what it prints.
        assertTrue(r.out().matches("hello: planted on kernel_clone\nhello: kernel_clone called\n"
                + "\\[ +\\d+\\.\\d{6}\\] hello: kernel_clone called\n"), r.out());
        Run t = script("dmesg\n");
        assertTrue(t.out().matches("\\[ {4}\\d\\.\\d{6}\\] Linux version 6\\.8\\.0-ksim .*\n"), t.out());
    }

    @Test
    void modinfoOfFilesAndNames() {
        Run r = script("""
                modinfo hello.java
                modinfo -F parm hello.java
                modinfo -d kprobe_example
                """);
        assertEquals("""
                filename:       hello.java
                author:         ksim tests
                description:    logs calls of a function
                license:        GPL
                depends:        \n\
                name:           hello
                vermagic:       6.8.0-ksim SMP preempt mod_unload \n\
                parm:           symbol:Function to probe (string)
                parm:           hits:Calls seen (int)
                symbol:Function to probe (string)
                hits:Calls seen (int)
                kprobes sample: prints registers when kernel_clone() is called
                """, r.out());
        assertEquals(new Run(1, "", "modinfo: ERROR: Module nosuch not found.\n"), script("modinfo nosuch\n"));
    }
}
