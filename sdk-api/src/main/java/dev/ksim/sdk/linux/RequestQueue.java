package dev.ksim.sdk.linux;

/**
 * {@code struct request_queue}: a block device's queue, the first argument of the sysfs
 * {@code queue_*_show} functions.
 *
 * <pre>{@code
 * // static ssize_t queue_ra_show(struct request_queue *q, char *page)
 * RequestQueue q = new RequestQueue(regs.kernelArgument(0));
 * pr_info("ra_pages = %d\n", q.backing_dev_info().ra_pages());   // 4.11 - 5.14 spelling
 * pr_info("ra_pages = %d\n", q.disk().bdi().ra_pages());         // 5.15+ spelling
 * }</pre>
 */
public final class RequestQueue extends KernelStruct {
    /** @param addr the queue's address */
    public RequestQueue(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "request_queue";
    }

    /**
     * {@code backing_dev_info}: the queue's read-ahead and writeback settings. A pointer from 4.11 to
     * 5.14 (embedded by value before 4.11, moved to {@code gendisk.bdi} in 5.15); ksim's 6.x profile
     * keeps the pointer so both spellings work, and {@link #disk()}{@code .bdi()} is the same object.
     *
     * @return the view
     */
    public BackingDevInfo backing_dev_info() {
        return new BackingDevInfo(ptr("backing_dev_info"));
    }

    /** @return {@code disk}: the disk this queue serves (5.15+) */
    public Gendisk disk() {
        return new Gendisk(ptr("disk"));
    }

    /** @return {@code queue_flags}: {@code QUEUE_FLAG_*} bits */
    public long queue_flags() {
        return i64("queue_flags");
    }

    /** @return {@code queuedata}: the driver's data */
    public long queuedata() {
        return ptr("queuedata");
    }

    /** @return {@code id}: the queue's number */
    public int id() {
        return i32("id");
    }

    /** @return {@code nr_hw_queues} */
    public int nr_hw_queues() {
        return i32("nr_hw_queues");
    }

    /** @return {@code queue_depth} */
    public int queue_depth() {
        return i32("queue_depth");
    }
}
