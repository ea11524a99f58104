package dev.ksim.sdk.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KernelStructTest {
    /** A page of fake kernel memory; any load outside it fails the test. */
    static final long PAGE = 0xffff_8880_0000_1000L;

    private final KernelServices k = mock(KernelServices.class);
    private final byte[] page = new byte[4096];
    private final KernelBinding.Scope scope = KernelBinding.bind(k);

    KernelStructTest() {
        when(k.offsetof(anyString(), anyString())).thenReturn(-1L);
        when(k.read(anyLong(), anyInt())).thenAnswer(inv -> {
            long addr = inv.getArgument(0);
            int size = inv.getArgument(1);
            long off = addr - PAGE;
            if (off < 0 || off + size > page.length) {
                throw new IllegalStateException("load outside the page at 0x" + Long.toHexString(addr));
            }
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = (v << 8) | (page[(int) off + i] & 0xff);
            }
            return v;
        });
    }

    @AfterEach
    void unbind() {
        scope.close();
    }

    private void put(int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, page, off, b.length);
    }

    private void putLong(int off, long v) {
        for (int i = 0; i < 8; i++) {
            page[off + i] = (byte) (v >>> (8 * i));
        }
    }

    @Test
    void membersAreReadAtTheKernelsOffsets() {
        when(k.offsetof("task_struct", "pid")).thenReturn(0x10L);
        when(k.offsetof("task_struct", "tgid")).thenReturn(0x14L);
        page[0x10] = (byte) 0xfe;
        page[0x11] = (byte) 0xff;
        page[0x12] = (byte) 0xff;
        page[0x13] = (byte) 0xff;
        page[0x14] = 42;
        TaskStruct t = new TaskStruct(PAGE);
        assertEquals(-2, t.pid(), "a 4-byte member is returned as int bits");
        assertEquals(42, t.tgid());
        verify(k).read(PAGE + 0x10, 4);
    }

    @Test
    void missingMembersThrowWithTheirNames() {
        TaskStruct t = new TaskStruct(PAGE);
        NoSuchMemberException e = assertThrows(NoSuchMemberException.class, t::__state);
        assertEquals("task_struct", e.struct());
        assertEquals("__state", e.member());
        assertTrue(e.getMessage().contains("task_struct"));
    }

    @Test
    void addrOfComputesWithoutReading() {
        when(k.offsetof("file", "f_path")).thenReturn(0x10L);
        File f = new File(0);
        assertEquals(0x10, f.addrOf("f_path"));
        assertEquals(0x10, f.f_path().addr, "an embedded struct's view is at the member's address");
        verify(k, never()).read(anyLong(), anyInt());
    }

    @Test
    void pointerMembersReturnViewsAndNullViews() {
        when(k.offsetof("task_struct", "real_parent")).thenReturn(0x20L);
        when(k.offsetof("task_struct", "mm")).thenReturn(0x28L);
        putLong(0x20, PAGE + 0x100);
        TaskStruct t = new TaskStruct(PAGE);
        assertEquals(new TaskStruct(PAGE + 0x100), t.real_parent());
        assertTrue(t.mm_struct().isNull());
        assertEquals(0, t.mm());
        assertNotEquals(new TaskStruct(PAGE), new Cred(PAGE), "equality includes the type");
        assertEquals("(struct task_struct *)0xffff888000001000", t.toString());
    }

    @Test
    void charArraysStopAtNulOrLength() {
        when(k.offsetof("task_struct", "comm")).thenReturn(0x40L);
        put(0x40, "systemd\0junk");
        assertEquals("systemd", new TaskStruct(PAGE).comm());
        put(0x40, "0123456789abcdefXYZ");
        assertEquals("0123456789abcdef", new TaskStruct(PAGE).comm(), "no NUL: the whole array");
    }

    @Test
    void charPointersAreReadWordAtATimeWithoutCrossingIntoTheNextPage() {
        when(k.offsetof("filename", "name")).thenReturn(0L);
        int at = 4096 - 11; // an unaligned string that ends exactly at the page end
        putLong(0, PAGE + at);
        put(at, "/tmp/a.txt\0");
        assertEquals("/tmp/a.txt", new Filename(PAGE).name());
    }

    @Test
    void stringsAreCappedAtPathMax() {
        when(k.offsetof("filename", "name")).thenReturn(0L);
        doReturn(0x4141_4141_4141_4141L).when(k).read(anyLong(), anyInt());
        assertEquals(KernelStruct.PATH_MAX, new Filename(PAGE).name().length());
        assertEquals(5, KernelStruct.readString(PAGE, 5).length());
    }

    @Test
    void utf8IsDecoded() {
        when(k.offsetof("dentry", "d_iname")).thenReturn(0x80L);
        put(0x80, "caf\u00e9\0");
        assertEquals("caf\u00e9", new Dentry(PAGE).d_iname());
    }

    @Test
    void qstrReadsExactlyLenBytes() {
        when(k.offsetof("qstr", "len")).thenReturn(4L);
        when(k.offsetof("qstr", "name")).thenReturn(8L);
        page[4] = 3;
        putLong(8, PAGE + 0x200);
        put(0x200, "binary");
        assertEquals("bin", new Qstr(PAGE).name());
    }

    @Test
    void modeHelpers() {
        assertTrue(Inode.S_ISREG(0100644));
        assertTrue(Inode.S_ISDIR(040755));
        assertTrue(Inode.S_ISLNK(0120777));
        assertTrue(!Inode.S_ISDIR(0100644));
    }
}
