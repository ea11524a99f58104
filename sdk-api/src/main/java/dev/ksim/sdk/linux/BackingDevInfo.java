package dev.ksim.sdk.linux;

/** {@code struct backing_dev_info}: a device's read-ahead and writeback parameters. */
public final class BackingDevInfo extends KernelStruct {
    /** @param addr the structure's address */
    public BackingDevInfo(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "backing_dev_info";
    }

    /** @return {@code id} */
    public long id() {
        return i64("id");
    }

    /** @return {@code ra_pages}: maximum read-ahead in pages ({@code read_ahead_kb} is this times 4) */
    public long ra_pages() {
        return i64("ra_pages");
    }

    /** @return {@code io_pages}: maximum I/O size in pages */
    public long io_pages() {
        return i64("io_pages");
    }

    /** @return {@code capabilities}: {@code BDI_CAP_*} bits */
    public int capabilities() {
        return i32("capabilities");
    }

    /** @return {@code min_ratio} */
    public int min_ratio() {
        return i32("min_ratio");
    }

    /** @return {@code max_ratio} */
    public int max_ratio() {
        return i32("max_ratio");
    }

    /** @return {@code dev_name}: e.g. {@code "8:0"} */
    public String dev_name() {
        return charArray("dev_name", 64);
    }
}
