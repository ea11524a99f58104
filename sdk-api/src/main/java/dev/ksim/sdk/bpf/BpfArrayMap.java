package dev.ksim.sdk.bpf;

/**
 * {@code BPF_MAP_TYPE_ARRAY}: {@code max_entries} elements indexed {@code 0 .. max_entries - 1}, all
 * present from creation (holding {@code zero}); they can be updated but not deleted.
 *
 * <pre>{@code
 * @SEC(".maps") static final BpfArrayMap<Long> counts = new BpfArrayMap<>(0L, 4);
 * }</pre>
 *
 * @param <V> the value type
 */
public final class BpfArrayMap<V> extends BpfKvMap<Integer, V> {
    /**
     * @param zero every element's initial value; its class is the value type
     * @param maxEntries {@code max_entries}
     */
    @SuppressWarnings("unchecked")
    public BpfArrayMap(V zero, int maxEntries) {
        super(BpfMapType.ARRAY, Integer.class, (Class<V>) zero.getClass(), zero, maxEntries);
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM} from user space.
     *
     * @param index the index
     * @return the value, or null for an index out of range
     */
    public V lookup(int index) {
        java.util.List<V> v = values(index);
        return v.isEmpty() ? null : v.get(0);
    }
}
