package dev.ksim.sdk.bpf;

import static dev.ksim.sdk.bpf.Bpf.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The map helpers' semantics and errnos, as hashtab.c, arraymap.c and ringbuf.c give them. */
class BpfMapsTest {
    private final KernelServices k = mock(KernelServices.class);
    private KernelBinding.Scope bound;

    @BeforeEach
    void bind() {
        when(k.num_possible_cpus()).thenReturn(2);
        bound = KernelBinding.bind(k);
    }

    @AfterEach
    void unbind() {
        bound.close();
    }

    private void onCpu(int cpu) {
        when(k.smp_processor_id()).thenReturn(cpu);
    }

    @Test
    void hashMapFlagsAndCapacity() {
        BpfHashMap<Integer, Long> m = new BpfHashMap<>(Integer.class, Long.class, 2);
        assertNull(bpf_map_lookup_elem(m, 1));
        assertEquals(-Errno.ENOENT, bpf_map_update_elem(m, 1, 10L, BPF_EXIST));
        assertEquals(0, bpf_map_update_elem(m, 1, 10L, BPF_NOEXIST));
        assertEquals(-Errno.EEXIST, bpf_map_update_elem(m, 1, 11L, BPF_NOEXIST));
        assertEquals(0, bpf_map_update_elem(m, 1, 12L, BPF_EXIST));
        assertEquals(12L, bpf_map_lookup_elem(m, 1));
        assertEquals(0, bpf_map_update_elem(m, 2, 20L, BPF_ANY));
        assertEquals(-Errno.E2BIG, bpf_map_update_elem(m, 3, 30L, BPF_ANY));
        assertEquals(0, bpf_map_update_elem(m, 2, 21L, BPF_ANY), "replacing in a full map is fine");
        assertEquals(-Errno.EINVAL, bpf_map_update_elem(m, 2, 22L, 4));
        assertEquals(0, bpf_map_delete_elem(m, 1));
        assertEquals(-Errno.ENOENT, bpf_map_delete_elem(m, 1));
        assertEquals(0, bpf_map_update_elem(m, 3, 30L, BPF_ANY), "deleting made room");
        assertEquals(List.of(2, 3), m.keys());
        assertEquals(30L, m.lookup(3));
        assertEquals(8, m.valueSize());
        assertEquals(4, m.keySize());
    }

    @Test
    void arrayMapHasEveryIndexAndNoDelete() {
        BpfArrayMap<Long> a = new BpfArrayMap<>(0L, 4);
        assertEquals(0L, bpf_map_lookup_elem(a, 3));
        assertNull(bpf_map_lookup_elem(a, 4));
        assertNull(bpf_map_lookup_elem(a, -1));
        assertEquals(0, bpf_map_update_elem(a, 3, 7L, BPF_ANY));
        assertEquals(0, bpf_map_update_elem(a, 3, 8L, BPF_EXIST));
        assertEquals(-Errno.EEXIST, bpf_map_update_elem(a, 3, 9L, BPF_NOEXIST));
        assertEquals(-Errno.E2BIG, bpf_map_update_elem(a, 4, 9L, BPF_ANY));
        assertEquals(-Errno.EINVAL, bpf_map_delete_elem(a, 3));
        assertEquals(8L, a.lookup(3));
        assertEquals(List.of(0, 1, 2, 3), a.keys());
    }

    @Test
    void perCpuArrayKeepsAValuePerCpu() {
        BpfPercpuArrayMap<Long> a = new BpfPercpuArrayMap<>(0L, 1);
        onCpu(0);
        bpf_map_update_elem(a, 0, 5L, BPF_ANY);
        onCpu(1);
        assertEquals(0L, bpf_map_lookup_elem(a, 0));
        bpf_map_update_elem(a, 0, bpf_map_lookup_elem(a, 0) + 7, BPF_ANY);
        assertEquals(List.of(5L, 7L), a.values(0));
        assertEquals(0, a.update(0, 1L, BPF_ANY));
        assertEquals(List.of(1L, 1L), a.values(0), "user space writes every CPU's value");
    }

    @Test
    void perCpuHashStartsOtherCpusAtZero() {
        BpfPercpuHashMap<String, Integer> h = new BpfPercpuHashMap<>(String.class, 0, 8);
        onCpu(1);
        assertEquals(0, bpf_map_update_elem(h, "rm", 3, BPF_NOEXIST));
        assertEquals(List.of(0, 3), h.values("rm"));
        onCpu(0);
        assertEquals(-Errno.EEXIST, bpf_map_update_elem(h, "rm", 4, BPF_NOEXIST));
        assertEquals(0, bpf_map_update_elem(h, "rm", 4, BPF_EXIST));
        assertEquals(List.of(4, 3), h.values("rm"));
        assertEquals(0, bpf_map_delete_elem(h, "rm"));
        assertEquals(List.of(), h.values("rm"));
    }

    record Event(int pid, long ts) {
    }

    @Test
    void ringBufferAccountsSpaceAndKeepsOrder() {
        BpfRingBuf<Event> rb = new BpfRingBuf<>(Event.class, 4096);
        assertEquals(0, rb.createError());
        assertEquals(-Errno.EINVAL, new BpfRingBuf<>(Event.class, 4096 * 3).createError());
        assertEquals(-Errno.EINVAL, new BpfRingBuf<>(Event.class, 2048).createError());
        // Each record: 16 bytes + an 8-byte header = 24; the buffer holds 4095 / 24 = 170 of them.
        int n = 0;
        while (bpf_ringbuf_output(rb, new Event(n, n), 0) == 0) {
            n++;
        }
        assertEquals(170, n);
        assertEquals(-Errno.EAGAIN, bpf_ringbuf_output(rb, new Event(0, 0), 0));
        assertEquals(-Errno.EINVAL, bpf_ringbuf_output(rb, new Event(0, 0), 4));
        List<Event> got = new ArrayList<>();
        assertEquals(170, rb.consume(got::add));
        assertEquals(new Event(169, 169), got.get(169));
        assertEquals(0, rb.availData());

        BpfRingBuf.Reservation<Event> first = bpf_ringbuf_reserve(rb, 16, 0);
        BpfRingBuf.Reservation<Event> second = bpf_ringbuf_reserve(rb, 16, 0);
        assertNull(bpf_ringbuf_reserve(rb, 16, 1), "reserve takes no flags");
        second.set(new Event(2, 2));
        bpf_ringbuf_submit(second, 0);
        assertEquals(0, rb.consume(got::add), "a record still reserved holds back the ones after it");
        bpf_ringbuf_discard(first, 0);
        got.clear();
        assertEquals(1, rb.consume(got::add));
        assertEquals(List.of(new Event(2, 2)), got);
        assertNull(bpf_ringbuf_reserve(rb, 8192, 0), "larger than the buffer");
    }
}
