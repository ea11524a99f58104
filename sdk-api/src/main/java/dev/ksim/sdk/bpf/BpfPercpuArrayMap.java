package dev.ksim.sdk.bpf;

/**
 * {@code BPF_MAP_TYPE_PERCPU_ARRAY}: an array with a value per possible CPU for each index; a program
 * reads and writes its own CPU's values, user space sees them all.
 *
 * <pre>{@code
 * @SEC(".maps") static final BpfPercpuArrayMap<Long> hits = new BpfPercpuArrayMap<>(0L, 1);
 * }</pre>
 *
 * @param <V> the value type
 */
public final class BpfPercpuArrayMap<V> extends BpfKvMap<Integer, V> {
    /**
     * @param zero every element's initial value on every CPU; its class is the value type
     * @param maxEntries {@code max_entries}
     */
    @SuppressWarnings("unchecked")
    public BpfPercpuArrayMap(V zero, int maxEntries) {
        super(BpfMapType.PERCPU_ARRAY, Integer.class, (Class<V>) zero.getClass(), zero, maxEntries);
    }
}
