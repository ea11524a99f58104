package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UserMemoryTest {
    static final long STACK = 0x7fff_fffd_d000L;

    private final UserMemory um = new UserMemory(VirtualAddressLayout.X86_64, "test");

    UserMemoryTest() {
        um.map("[stack]", STACK, 0x21000, Prot.RW);
    }

    @Test
    void copyFromUserReturnsBytesNotCopiedAndZeroPads() {
        long end = STACK + 0x21000;
        um.writeBytes(end - 2, new byte[] {7, 7});
        byte[] dst = new byte[6];
        Arrays.fill(dst, (byte) 1);
        assertEquals(4, um.copyFromUser(dst, end - 2, 6));
        assertArrayEquals(new byte[] {7, 7, 0, 0, 0, 0}, dst);
        assertEquals(0, um.copyFromUser(dst, end - 6, 6));
        assertEquals(3, um.copyFromUser(dst, 0xffff_8880_0000_0000L, 3), "kernel address fails access_ok");
        um.map("top", end, 4096, Prot.RW);
        assertEquals(6, um.copyFromUser(dst, end + 4096 - 2, 6), "past TASK_SIZE_MAX: access_ok fails, nothing copied");
    }

    @Test
    void copyToUser() {
        assertEquals(0, um.copyToUser(STACK, new byte[] {1, 2, 3}, 3));
        assertEquals(0x030201, um.read(STACK, 4));
        assertEquals(2, um.copyToUser(STACK - 1, new byte[] {1, 2}, 2), "first byte unmapped");
    }

    @Test
    void strncpyFromUserSemantics() {
        um.writeBytes(STACK + 16, "ls\0".getBytes(StandardCharsets.US_ASCII));
        byte[] dst = new byte[8];
        assertEquals(2, um.strncpyFromUser(dst, STACK + 16, 8), "length without NUL");
        assertEquals(0, dst[2]);
        Arrays.fill(dst, (byte) 'x');
        assertEquals(2, um.strncpyFromUser(dst, STACK + 16, 2), "no NUL within count: returns count");
        assertEquals('x', dst[2], "and does not terminate");
        assertEquals(-Errno.EFAULT, um.strncpyFromUser(dst, STACK - 4096, 8));
        assertEquals(-Errno.EFAULT, um.strncpyFromUser(dst, 0xffff_8880_0000_0000L, 8));
        assertEquals(0, um.strncpyFromUser(dst, STACK, 0));
    }

    @Test
    void userRegionsMustBeInUserSpace() {
        assertThrows(IllegalArgumentException.class, () -> um.map("k", 0xffff_8880_0000_0000L, 4096, Prot.RW));
        assertThrows(IllegalArgumentException.class, () -> um.map("null", 0, 4096, Prot.RW));
        assertThrows(IllegalArgumentException.class, () -> um.map("top", 0x7fff_ffff_f000L, 4096, Prot.RW));
    }

    @Test
    void ownAccessesFault() {
        assertEquals(PageFault.Reason.NOT_PRESENT, assertThrows(PageFault.class, () -> um.read(0x40_0000, 8)).reason());
        assertEquals(PageFault.Reason.NULL_POINTER, assertThrows(PageFault.class, () -> um.read(8, 8)).reason());
    }
}
