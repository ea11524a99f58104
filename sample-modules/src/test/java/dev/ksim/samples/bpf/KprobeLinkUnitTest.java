package dev.ksim.samples.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.X86PtRegs;
import dev.ksim.sdk.linux.Filename;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import org.junit.jupiter.api.Test;

/** The programs against a mocked kernel: each helper is an SPI call, so no kernel is booted. */
class KprobeLinkUnitTest {
    private final KernelServices kernel = mock(KernelServices.class);

    @Test
    void exitProgramPrintsTheTgidAndTheReturnValue() {
        when(kernel.bpf_get_current_pid_tgid()).thenReturn((4242L << 32) | 4243L);
        try (var scope = KernelBinding.bind(kernel)) {
            assertEquals(0, KprobeLink.do_unlinkat_exit(new X86PtRegs(), -Errno.ENOENT));
        }
        verify(kernel).bpf_trace_printk("KPROBE EXIT: pid = %d, ret = %ld\n", new Object[] {4242, -2L});
    }

    @Test
    void entryProgramReadsTheNameWithoutFaulting() {
        when(kernel.bpf_get_current_pid_tgid()).thenReturn(7L << 32 | 7L);
        when(kernel.offsetof(eq("filename"), any())).thenReturn(0L);
        when(kernel.copy_from_kernel_nofault(any(), anyLong(), anyInt())).thenReturn(-Errno.EFAULT);
        try (var scope = KernelBinding.bind(kernel)) {
            assertEquals(0, KprobeLink.do_unlinkat(new X86PtRegs(), -100, new Filename(0xdead0000L)));
        }
        // BPF_CORE_READ of a bad pointer gives nothing (NULL), which %s prints as an empty string.
        verify(kernel).bpf_trace_printk("KPROBE ENTRY pid = %d, filename = %s\n", new Object[] {7, null});
    }
}
