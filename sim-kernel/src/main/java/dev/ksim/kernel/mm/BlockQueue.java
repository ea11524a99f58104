package dev.ksim.kernel.mm;

/**
 * A block device's queue as {@link KernelObjects#createRequestQueue} builds it: the queue, its disk and
 * the disk's {@code backing_dev_info}, linked both ways ({@code q->disk}, {@code disk->queue},
 * {@code disk->bdi}, and the 4.11–5.14 {@code q->backing_dev_info}).
 *
 * @param queue the {@code struct request_queue} address
 * @param disk the {@code struct gendisk} address
 * @param bdi the {@code struct backing_dev_info} address
 */
public record BlockQueue(long queue, long disk, long bdi) {
}
