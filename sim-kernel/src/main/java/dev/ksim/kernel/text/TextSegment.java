package dev.ksim.kernel.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A contiguous range of executable kernel memory: the kernel image's text, or one module's text.
 *
 * <p>Bytes are read with opaque semantics so a CPU running hot code always sees a breakpoint written
 * by another CPU (a plain read could be hoisted out of a compiled loop); they are written only through
 * {@link #poke}, under the kernel's {@code text_mutex}.
 */
public final class TextSegment {
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Owning module's name, or {@code null} for the kernel image. */
    public final String module;
    /** Address of the first byte. */
    public final long base;
    /** The bytes; index i holds the byte at {@code base + i}. Written only under text_mutex. */
    final byte[] bytes;

    TextSegment(String module, long base, byte[] bytes) {
        this.module = module;
        this.base = base;
        this.bytes = bytes;
    }

    /** @return the size in bytes */
    public int size() {
        return bytes.length;
    }

    /** @param addr an address @return true if it lies in this segment */
    public boolean contains(long addr) {
        return addr - base >= 0 && addr - base < bytes.length;
    }

    /** @param addr an address in this segment @return the byte there, unsigned */
    public int readByte(long addr) {
        return (byte) BYTES.getOpaque(bytes, (int) (addr - base)) & 0xff;
    }

    /** @param offset an offset into this segment @return the byte there, as {@link #readByte} reads it */
    int byteAt(int offset) {
        return (byte) BYTES.getOpaque(bytes, offset) & 0xff;
    }

    /** @param offset a 4-byte aligned offset @return the word there, as {@link #readWord} reads it */
    int wordAt(int offset) {
        return (int) INTS.getOpaque(bytes, offset);
    }

    /** @param addr a 4-byte aligned address in this segment @return the little-endian word there */
    public int readWord(long addr) {
        return (int) INTS.getOpaque(bytes, (int) (addr - base));
    }

    /**
     * {@code text_poke}: writes code bytes. The caller holds the kernel's text_mutex.
     *
     * @param addr where to write
     * @param value the bytes, little-endian
     * @param length how many bytes (1 or 4)
     */
    public void poke(long addr, int value, int length) {
        int at = (int) (addr - base);
        if (length == 4) {
            INTS.setOpaque(bytes, at, value);
        } else {
            BYTES.setOpaque(bytes, at, (byte) value);
        }
    }

    /** @param addr start @param len length @return a copy of the bytes in [addr, addr + len) */
    public byte[] read(long addr, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) readByte(addr + i);
        }
        return out;
    }
}
