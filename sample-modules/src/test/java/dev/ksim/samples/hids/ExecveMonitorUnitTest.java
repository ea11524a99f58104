package dev.ksim.samples.hids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.test.FakeMemory;
import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import dev.ksim.test.Regs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The execve monitor against a mocked kernel: registration, its error paths, and one event end to end. */
@ExtendWith(MockKernelExtension.class)
class ExecveMonitorUnitTest {

    @Test
    void initPlantsTheKretprobeAndCreatesBothFiles(MockKernel k) {
        ExecveMonitor m = new ExecveMonitor();
        assertEquals(0, m.init());
        verify(k.services()).register_kretprobe(argThat(rp -> "do_execveat_common.isra.0".equals(rp.kp.symbol_name)
                && rp.entry_handler != null && rp.data_size == ExecveMonitor.DATA_SIZE && rp.maxactive == 32));
        verify(k.services()).proc_create_single_data(eq("execve_monitor"), eq(0400), any(), any(), any());
        assertEquals("", k.read("/proc/execve_monitor"));
        m.exit();
        verify(k.services()).unregister_kretprobe(m.rp);
    }

    @Test
    void aFailedRegistrationCreatesNoFile(MockKernel k) {
        when(k.services().register_kretprobe(any())).thenReturn(-Errno.ENOENT);
        assertEquals(-Errno.ENOENT, new ExecveMonitor().init());
        k.dmesg().containsLine("execve_monitor: register_kretprobe on do_execveat_common.isra.0 failed, returned -2");
        verify(k.services(), org.mockito.Mockito.never()).proc_create_single_data(any(), any(Integer.class), any(),
                any(), any());
    }

    @Test
    void aNameInUseUnwindsTheProbe(MockKernel k) {
        when(k.services().proc_create_single_data(eq("execve_monitor_stats"), any(Integer.class), any(), any(),
                any())).thenReturn(null);
        ExecveMonitor m = new ExecveMonitor();
        assertEquals(-Errno.ENOMEM, m.init());
        verify(k.services()).unregister_kretprobe(m.rp);
        verify(k.services()).proc_remove(argThat(de -> de.name.equals("execve_monitor")));
    }

    @Test
    void handlersTurnOneExecIntoOneLine(MockKernel k) {
        FakeMemory mem = k.memory();
        long cred = mem.struct("cred").set("uid", 1000).build();
        long parent = mem.struct("task_struct").set("tgid", 1).build();
        long task = mem.struct("task_struct").set("pid", 42).set("tgid", 42).set("comm", "ls")
                .set("real_parent", parent).set("cred", cred).build();
        k.current(task);
        long filename = mem.struct("filename").set("name", "/bin/ls").build();
        long argv = mem.alloc(24);
        mem.write(argv, 8, mem.string("ls"));
        mem.write(argv + 8, 8, mem.string("-a"));

        ExecveMonitor m = new ExecveMonitor();
        assertEquals(0, m.init());
        KretprobeInstance ri = new KretprobeInstance(ExecveMonitor.DATA_SIZE);
        m.entry_handler(ri, Regs.x86().args(-100, filename, argv, 0, 0).build());
        m.ret_handler(ri, Regs.x86().returnValue(0).build());
        assertEquals("pid=42 ppid=1 uid=1000 comm=ls ret=0 filename=/bin/ls argv=ls -a\n",
                k.read("/proc/execve_monitor"));
        assertEquals("events 1\ndropped 0\nmissed 0\n", k.read("/proc/execve_monitor_stats"));
    }

    @Test
    void theRingKeepsTheOldestAndCountsTheRest() {
        EventRing ring = new EventRing(2);
        for (int i = 0; i < 4; i++) {
            ring.push(new ExecEvent(i, 1, 0, "c", "/f", "a", 0));
        }
        assertEquals(2, ring.drain().size());
        assertEquals(new EventRing.Counts(4, 2), ring.counts());
        assertEquals(0, ring.drain().size());
    }
}
