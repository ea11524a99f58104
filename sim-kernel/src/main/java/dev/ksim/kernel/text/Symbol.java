package dev.ksim.kernel.text;

/**
 * A kallsyms entry.
 *
 * @param name the symbol's name
 * @param address its start
 * @param size its size as kallsyms reports it: up to the next symbol
 * @param type its {@code nm} type letter: {@code T}/{@code t} text, {@code D}/{@code d} data,
 *     {@code B}/{@code b} bss, {@code R}/{@code r} read-only data
 * @param module the owning module's name, or {@code null} for the kernel image
 */
public record Symbol(String name, long address, long size, char type, String module) {
    /** @return true for a text (code) symbol */
    public boolean isText() {
        return type == 'T' || type == 't';
    }

    /** @param addr an address @return true if it lies in [address, address + size) */
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, address) >= 0 && Long.compareUnsigned(addr, address + size) < 0;
    }

    /** @return the end address (exclusive) */
    public long end() {
        return address + size;
    }
}
