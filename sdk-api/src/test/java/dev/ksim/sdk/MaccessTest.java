package dev.ksim.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.linux.TaskStruct;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MaccessTest {
    static final long TASK = 0xffff_8880_0001_0000L;
    static final long PARENT = 0xffff_8880_0002_0000L;

    private final KernelServices k = mock(KernelServices.class);
    private final KernelBinding.Scope scope = KernelBinding.bind(k);

    MaccessTest() {
        when(k.offsetof(anyString(), anyString())).thenReturn(-1L);
    }

    @AfterEach
    void unbind() {
        scope.close();
    }

    /** Makes copy_from_kernel_nofault serve {@code value} little-endian at {@code addr}, -EFAULT elsewhere. */
    private void memory(long addr, long value) {
        when(k.copy_from_kernel_nofault(any(), anyLong(), anyInt())).thenAnswer(inv -> {
            byte[] dst = inv.getArgument(0);
            long src = inv.getArgument(1);
            int size = inv.getArgument(2);
            if (src != addr) {
                return -Errno.EFAULT;
            }
            for (int i = 0; i < size; i++) {
                dst[i] = (byte) (value >>> (8 * i));
            }
            return 0;
        });
    }

    @Test
    void readKernelNofaultDecodesLittleEndian() {
        memory(TASK, 0x0807_0605_0403_0201L);
        Maccess.Nofault r = Maccess.read_kernel_nofault(TASK, 4);
        assertTrue(r.ok());
        assertEquals(0x0403_0201L, r.value());
        assertEquals(0x0807_0605_0403_0201L, Maccess.read_kernel_nofault(TASK, 8).value());
        assertEquals(0x01, Maccess.read_kernel_nofault(TASK, 1).value());
        Maccess.Nofault bad = Maccess.read_kernel_nofault(TASK + 8, 8);
        assertEquals(-Errno.EFAULT, bad.err());
        assertEquals(99, bad.orElse(99));
        assertEquals(-Errno.EINVAL, Maccess.read_kernel_nofault(TASK, 3).err());
    }

    @Test
    void getKernelNofaultLeavesTheValueOnError() {
        memory(TASK, 7);
        long[] v = {-1};
        assertEquals(-Errno.EFAULT, Maccess.get_kernel_nofault(v, TASK + 1, 8));
        assertEquals(-1, v[0]);
        assertEquals(0, Maccess.get_kernel_nofault(v, TASK, 8));
        assertEquals(7, v[0]);
    }

    @Test
    void bpfProbeReadKernelZeroesOnError() {
        when(k.copy_from_kernel_nofault(any(), anyLong(), anyInt())).thenAnswer(inv -> {
            Arrays.fill((byte[]) inv.getArgument(0), 0, 4, (byte) 0x41); // a partial copy, then a fault
            return -Errno.EFAULT;
        });
        byte[] dst = new byte[8];
        assertEquals(-Errno.EFAULT, Maccess.bpf_probe_read_kernel(dst, 8, TASK));
        assertArrayEquals(new byte[8], dst);
        when(k.strncpy_from_kernel_nofault(any(), anyLong(), anyInt())).thenAnswer(inv -> {
            Arrays.fill((byte[]) inv.getArgument(0), (byte) 0x41);
            return (long) -Errno.ERANGE;
        });
        Arrays.fill(dst, (byte) 1);
        assertEquals(-Errno.ERANGE, Maccess.bpf_probe_read_kernel_str(dst, 8, 0));
        assertArrayEquals(new byte[8], dst);
    }

    @Test
    void kernelStringNofault() {
        when(k.strncpy_from_kernel_nofault(any(), eq(TASK), anyInt())).thenAnswer(inv -> {
            byte[] d = inv.getArgument(0);
            d[0] = 'a';
            d[1] = 'b';
            d[2] = 0;
            return 3L;
        });
        when(k.strncpy_from_kernel_nofault(any(), eq(PARENT), anyInt())).thenReturn((long) -Errno.EFAULT);
        assertEquals("ab", Maccess.kernel_string_nofault(TASK, 16));
        assertNull(Maccess.kernel_string_nofault(PARENT, 16));
        assertEquals("", Maccess.kernel_string_nofault(TASK, 0));
    }

    @Test
    void coreReadRoutesLoadsThroughNofaultCopies() {
        when(k.offsetof("task_struct", "real_parent")).thenReturn(0x9a0L);
        when(k.offsetof("task_struct", "tgid")).thenReturn(0x994L);
        when(k.copy_from_kernel_nofault(any(), anyLong(), anyInt())).thenAnswer(inv -> {
            byte[] dst = inv.getArgument(0);
            long src = inv.getArgument(1);
            long v;
            if (src == TASK + 0x9a0) {
                v = PARENT;
            } else if (src == PARENT + 0x994) {
                v = 4242;
            } else {
                return -Errno.EFAULT;
            }
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (byte) (v >>> (8 * i));
            }
            return 0;
        });
        TaskStruct t = new TaskStruct(TASK);
        assertEquals(4242, Maccess.core_read_int(() -> t.real_parent().tgid(), -1));
        assertEquals(-1, Maccess.core_read_int(() -> t.real_parent().real_parent().tgid(), -1),
                "a load at a bad address ends the chain with the fallback");
        assertEquals(-1, Maccess.core_read_int(() -> new TaskStruct(0).tgid(), -1));
        verify(k, never()).read(anyLong(), anyInt());
        assertSame(k, KernelBinding.bound(), "the caller's binding is restored");
    }

    @Test
    void coreReadFallsBackForMissingMembers() {
        TaskStruct t = new TaskStruct(TASK);
        assertEquals("none", Maccess.core_read(() -> t.comm(), "none"));
        assertEquals(-5L, Maccess.core_read_long(t::start_time, -5L));
        assertFalse(Maccess.bpf_core_field_exists("task_struct", "comm"));
    }

    @Test
    void coreReadPassesOtherExceptionsThrough() {
        RuntimeException boom = new IllegalStateException("boom");
        try {
            Maccess.core_read(() -> {
                throw boom;
            }, "x");
        } catch (IllegalStateException e) {
            assertSame(boom, e);
        }
        assertSame(k, KernelBinding.bound());
    }

    @Test
    void bpfCoreReadUsesTheKernelsOffsets() {
        when(k.offsetof("backing_dev_info", "ra_pages")).thenReturn(0x30L);
        memory(TASK + 0x30, 32);
        assertEquals(32, Maccess.bpf_core_read(TASK, "backing_dev_info", "ra_pages", 8));
        assertEquals(0, Maccess.bpf_core_read(TASK, "backing_dev_info", "io_pages", 8), "missing member");
        assertEquals(0, Maccess.bpf_core_read(PARENT, "backing_dev_info", "ra_pages", 8), "bad address");
        assertTrue(Maccess.bpf_core_field_exists("backing_dev_info", "ra_pages"));
    }
}
