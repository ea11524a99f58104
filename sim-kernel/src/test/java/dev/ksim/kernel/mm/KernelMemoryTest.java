package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KernelMemoryTest {
    static final long BASE = 0xffff_8880_0000_0000L;
    static final long TEXT = 0xffff_ffff_8100_0000L;

    private final KernelMemory mem = new KernelMemory(VirtualAddressLayout.X86_64);

    KernelMemoryTest() {
        mem.map("data", BASE, 4 * 4096, Prot.RW);
        mem.map("text", TEXT, 4096, Prot.RX);
    }

    @Test
    void unwrittenPagesReadZeroAndValuesRoundTripLittleEndian() {
        assertEquals(0, mem.read64(BASE + 8));
        mem.write64(BASE, 0x1122_3344_5566_7788L);
        assertEquals(0x88, mem.read8(BASE));
        assertEquals(0x7788, mem.read16(BASE));
        assertEquals(0x5566_7788, mem.read32(BASE));
        assertEquals(0x1122_3344_5566_7788L, mem.read64(BASE));
        mem.write32(BASE + 100, 0xdead_beef);
        assertEquals(0xdead_beefL, mem.read(BASE + 100, 4), "read() zero-extends");
        mem.write(BASE + 200, 2, 0x12345);
        assertEquals(0x2345, mem.read(BASE + 200, 2), "write() truncates to the size");
        mem.write(BASE + 300, 1, -1);
        assertEquals(0xff, mem.read(BASE + 300, 1));
    }

    @Test
    void accessesCrossingPagesWithinARegionWork() {
        long edge = BASE + 4096 - 3;
        mem.write64(edge, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, mem.read64(edge));
        assertEquals(0x0506_0708, mem.read32(edge));
        assertEquals(0x05, mem.read8(edge + 3));
        mem.write16(BASE + 4095, 0xabcd);
        assertEquals(0xabcd, mem.read16(BASE + 4095));
    }

    @Test
    void nullPageFaultsAsNullPointerDereference() {
        PageFault f = assertThrows(PageFault.class, () -> mem.read64(0x10));
        assertEquals(PageFault.Reason.NULL_POINTER, f.reason());
        assertEquals(0x10, f.address());
        assertFalse(f.write());
        PageFault w = assertThrows(PageFault.class, () -> mem.write32(0, 1));
        assertEquals(PageFault.Reason.NULL_POINTER, w.reason());
        assertTrue(w.write());
    }

    @Test
    void unmappedKernelAddressFaultsNotPresent() {
        PageFault f = assertThrows(PageFault.class, () -> mem.read32(BASE + 4 * 4096));
        assertEquals(PageFault.Reason.NOT_PRESENT, f.reason());
        assertEquals(BASE + 4 * 4096, f.address());
    }

    @Test
    void userAndNonCanonicalAddressesFault() {
        assertEquals(PageFault.Reason.USER_ADDRESS,
                assertThrows(PageFault.class, () -> mem.read8(0x7ffd_0000_1000L)).reason());
        PageFault gp = assertThrows(PageFault.class, () -> mem.read64(0xdead_0000_0000_0100L));
        assertEquals(PageFault.Reason.NON_CANONICAL, gp.reason());
        assertTrue(gp.getMessage().contains("0xdead000000000100"), gp.getMessage());
    }

    @Test
    void writeToReadOnlyFaultsWithProtectionAndLeavesMemoryUnchanged() {
        PageFault f = assertThrows(PageFault.class, () -> mem.write64(TEXT, 42));
        assertEquals(PageFault.Reason.PROTECTION, f.reason());
        assertTrue(f.write());
        assertEquals(0, mem.read64(TEXT), "reads of read-only memory are fine");
        mem.protect(TEXT, Prot.RW);
        mem.write64(TEXT, 42);
        mem.protect(TEXT, Prot.READ);
        assertEquals(42, mem.read64(TEXT));
        mem.protect(TEXT, Prot.NONE);
        assertEquals(PageFault.Reason.PROTECTION, assertThrows(PageFault.class, () -> mem.read8(TEXT)).reason());
    }

    @Test
    void crossPageAccessIntoUnmappedFaultsAtFirstBadByte() {
        long last = BASE + 4 * 4096 - 4;
        PageFault f = assertThrows(PageFault.class, () -> mem.read64(last));
        assertEquals(BASE + 4 * 4096, f.address(), "CR2 is the first byte of the missing page");
        assertEquals(PageFault.Reason.NOT_PRESENT, f.reason());
        PageFault w = assertThrows(PageFault.class, () -> mem.write64(last, -1L));
        assertEquals(BASE + 4 * 4096, w.address());
        assertEquals(0xffff_ffffL, mem.read(last, 4), "the bytes before the fault were stored, as on hardware");
    }

    @Test
    void bulkAccessFaultsAtFirstBadByte() {
        byte[] buf = new byte[100];
        PageFault f = assertThrows(PageFault.class, () -> mem.readBytes(BASE + 4 * 4096 - 10, buf, 0, 100));
        assertEquals(BASE + 4 * 4096, f.address());
        assertThrows(PageFault.class, () -> mem.fill(BASE + 4 * 4096 - 1, 2, 0));
        byte[] s = "hello".getBytes(StandardCharsets.UTF_8);
        mem.writeBytes(BASE + 4090, s);
        assertArrayEquals(s, mem.readBytes(BASE + 4090, 5));
    }

    @Test
    void unmapMakesAccessesFault() {
        long extra = BASE + 0x10_0000;
        mem.map("extra", extra, 4096, Prot.RW);
        mem.write8(extra, 1);
        assertTrue(mem.unmap(extra));
        assertFalse(mem.unmap(extra));
        assertEquals(PageFault.Reason.NOT_PRESENT, assertThrows(PageFault.class, () -> mem.read8(extra)).reason());
        assertNull(mem.regionAt(extra));
    }

    @Test
    void mappingRejectsOverlapMisalignmentAndUserAddresses() {
        assertThrows(IllegalArgumentException.class, () -> mem.map("overlap", BASE + 4096, 4096, Prot.RW));
        assertThrows(IllegalArgumentException.class, () -> mem.map("straddle", BASE - 4096, 8192, Prot.RW));
        assertThrows(IllegalArgumentException.class, () -> mem.map("odd", BASE + 0x100_0001, 4096, Prot.RW));
        assertThrows(IllegalArgumentException.class, () -> mem.map("user", 0x40_0000, 4096, Prot.RW));
        assertThrows(IllegalArgumentException.class, () -> mem.map("hole", 0x0000_9000_0000_0000L, 4096, Prot.RW));
        assertEquals(2, mem.regions().size());
        assertSame(mem.regionAt(BASE + 5), mem.regions().get(0));
    }

    @Test
    void regionAtTheTopOfTheAddressSpace() {
        long top = -4096L;
        mem.map("top", top, 4096, Prot.RW);
        mem.write64(top + 4088, 7);
        assertEquals(7, mem.read64(top + 4088));
        assertTrue(mem.accessOk(top, 4096, true));
        assertThrows(PageFault.class, () -> mem.read64(top + 4092), "wraps into the NULL page");
    }

    @Test
    void accessOkChecksEveryPageAndPermission() {
        assertTrue(mem.accessOk(BASE, 4 * 4096, true));
        assertFalse(mem.accessOk(BASE, 4 * 4096 + 1, false));
        assertTrue(mem.accessOk(TEXT, 4096, false));
        assertFalse(mem.accessOk(TEXT, 1, true));
        assertFalse(mem.accessOk(0x1000, 1, false));
    }

    @Test
    void readCStringStopsAtNulAndAtMax() {
        mem.writeBytes(BASE + 10, "kernel_clone\0rest".getBytes(StandardCharsets.UTF_8));
        assertEquals("kernel_clone", mem.readCString(BASE + 10, 4096));
        assertEquals("kern", mem.readCString(BASE + 10, 4));
        mem.fill(BASE + 4 * 4096 - 3, 3, 'a');
        assertThrows(PageFault.class, () -> mem.readCString(BASE + 4 * 4096 - 3, 100));
    }

    // ---------------------------------------------------------------- maccess

    @Test
    void copyFromKernelNofaultCopiesOrReturnsEfault() {
        mem.write64(BASE + 8, 0x0807_0605_0403_0201L);
        byte[] dst = new byte[8];
        assertEquals(0, mem.copyFromKernelNofault(dst, BASE + 8, 8));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, dst);
        assertEquals(-Errno.EFAULT, mem.copyFromKernelNofault(new byte[8], BASE + 4 * 4096 - 4, 8));
        assertEquals(-Errno.EFAULT, mem.copyFromKernelNofault(new byte[8], BASE + 0x100_0000, 8));
        mem.protect(TEXT, Prot.NONE);
        assertEquals(-Errno.EFAULT, mem.copyFromKernelNofault(new byte[1], TEXT, 1));
        assertEquals(0, mem.copyFromKernelNofault(new byte[0], BASE + 0x100_0000, 0), "nothing to copy");
    }

    @Test
    void copyFromKernelNofaultRangeChecksLikeX86() {
        assertEquals(-Errno.ERANGE, mem.copyFromKernelNofault(new byte[8], 0, 8), "NULL is a user address");
        assertEquals(-Errno.ERANGE, mem.copyFromKernelNofault(new byte[8], 0x7ffd_0000_0000L, 8));
        assertEquals(-Errno.ERANGE, mem.copyFromKernelNofault(new byte[8], 0xdead_0000_0000_0100L, 8));
        assertEquals(-Errno.EINVAL, mem.copyFromKernelNofault(new byte[4], BASE, 8));
        KernelMemory arm = new KernelMemory(VirtualAddressLayout.ARM64);
        assertEquals(-Errno.EFAULT, arm.copyFromKernelNofault(new byte[8], 0, 8), "arm64 has no range check");
        assertEquals(-Errno.EFAULT, arm.strncpyFromKernelNofault(new byte[8], 0x1000, 8));
    }

    @Test
    void strncpyFromKernelNofaultReturnsLengthIncludingNul() {
        mem.writeBytes(BASE + 64, "bash\0".getBytes(StandardCharsets.US_ASCII));
        byte[] dst = new byte[16];
        Arrays.fill(dst, (byte) 'x');
        assertEquals(5, mem.strncpyFromKernelNofault(dst, BASE + 64, 16));
        assertEquals("bash", new String(dst, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(0, dst[4]);
        assertEquals('x', dst[5], "nothing written past the NUL");
    }

    @Test
    void strncpyFromKernelNofaultExactFitAndTruncation() {
        mem.writeBytes(BASE + 64, "bash\0".getBytes(StandardCharsets.US_ASCII));
        byte[] five = new byte[5];
        assertEquals(5, mem.strncpyFromKernelNofault(five, BASE + 64, 5), "string and NUL fit exactly");
        assertEquals("bash", new String(five, 0, 4, StandardCharsets.US_ASCII));
        byte[] four = new byte[4];
        assertEquals(4, mem.strncpyFromKernelNofault(four, BASE + 64, 4), "truncated: returns count");
        assertArrayEquals(new byte[] {'b', 'a', 's', 0}, four, "count-1 bytes and a NUL");
        assertEquals(0, mem.strncpyFromKernelNofault(four, BASE + 64, 0));
        assertEquals(0, mem.strncpyFromKernelNofault(four, BASE + 64, -1));
        assertEquals(-Errno.EINVAL, mem.strncpyFromKernelNofault(four, BASE + 64, 5));
    }

    @Test
    void strncpyFromKernelNofaultFaultTerminatesWhatWasCopied() {
        long end = BASE + 4 * 4096;
        mem.writeBytes(end - 3, "abc".getBytes(StandardCharsets.US_ASCII));
        byte[] dst = new byte[16];
        Arrays.fill(dst, (byte) 'x');
        assertEquals(-Errno.EFAULT, mem.strncpyFromKernelNofault(dst, end - 3, 16));
        assertArrayEquals(new byte[] {'a', 'b', 0, 'x'}, Arrays.copyOf(dst, 4),
                "the last byte copied is replaced by NUL, as maccess.c does");
        assertEquals(-Errno.EFAULT, mem.strncpyFromKernelNofault(dst, BASE + 0x100_0000, 16));
        assertEquals(-Errno.ERANGE, mem.strncpyFromKernelNofault(dst, 0, 16));
    }

    @Test
    void strncpyAcrossPagesAndRegionsBoundaries() {
        long edge = BASE + 4096 - 2;
        mem.writeBytes(edge, "xyz\0".getBytes(StandardCharsets.US_ASCII));
        byte[] dst = new byte[8];
        assertEquals(4, mem.strncpyFromKernelNofault(dst, edge, 8));
    }

    @Test
    void copyToKernelNofault() {
        assertEquals(0, mem.copyToKernelNofault(BASE, new byte[] {9, 8}, 2));
        assertEquals(0x0809, mem.read16(BASE));
        assertEquals(-Errno.EFAULT, mem.copyToKernelNofault(TEXT, new byte[] {1}, 1));
        assertEquals(-Errno.EFAULT, mem.copyToKernelNofault(0, new byte[] {1}, 1));
        assertEquals(0, mem.read8(TEXT));
    }
}
