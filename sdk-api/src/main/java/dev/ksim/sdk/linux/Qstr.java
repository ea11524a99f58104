package dev.ksim.sdk.linux;

import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.nio.charset.StandardCharsets;

/** {@code struct qstr}: a name with its length and hash, as a dentry stores it. */
public final class Qstr extends KernelStruct {
    /** @param addr the structure's address */
    public Qstr(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "qstr";
    }

    /** @return {@code hash} */
    public int hash() {
        return i32("hash");
    }

    /** @return {@code len}: the name's length in bytes, without a NUL */
    public int len() {
        return i32("len");
    }

    /** @return {@code name}: the pointer */
    public long name_ptr() {
        return ptr("name");
    }

    /** @return the {@link #len()} bytes {@code name} points to (at most {@link #PATH_MAX}), decoded as UTF-8 */
    public String name() {
        int len = Math.min(Math.max(len(), 0), PATH_MAX);
        long p = name_ptr();
        KernelServices k = KernelBinding.current();
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) k.read(p + i, 1);
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
