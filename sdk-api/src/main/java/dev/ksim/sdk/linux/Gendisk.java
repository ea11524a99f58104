package dev.ksim.sdk.linux;

/** {@code struct gendisk}: a disk. */
public final class Gendisk extends KernelStruct {
    /** {@code DISK_NAME_LEN}: the size of {@link #disk_name()}'s array. */
    public static final int DISK_NAME_LEN = 32;

    /** @param addr the disk's address */
    public Gendisk(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "gendisk";
    }

    /** @return {@code major} */
    public int major() {
        return i32("major");
    }

    /** @return {@code first_minor} */
    public int first_minor() {
        return i32("first_minor");
    }

    /** @return {@code minors}: the number of minors (partitions + 1) */
    public int minors() {
        return i32("minors");
    }

    /** @return {@code disk_name}, e.g. {@code "sda"} */
    public String disk_name() {
        return charArray("disk_name", DISK_NAME_LEN);
    }

    /** @return {@code queue} */
    public RequestQueue queue() {
        return new RequestQueue(ptr("queue"));
    }

    /** @return {@code bdi}: the disk's {@code backing_dev_info} (5.15+) */
    public BackingDevInfo bdi() {
        return new BackingDevInfo(ptr("bdi"));
    }

    /** @return {@code flags}: {@code GENHD_FL_*} bits */
    public int flags() {
        return i32("flags");
    }

    /** @return {@code private_data}: the driver's data */
    public long private_data() {
        return ptr("private_data");
    }
}
