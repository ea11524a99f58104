package dev.ksim.sdk.bpf;

/**
 * {@code BPF_MAP_TYPE_HASH}: at most {@code max_entries} keys, added by update and removed by delete.
 *
 * <pre>{@code
 * // struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8192);
 * //          __type(key, pid_t); __type(value, u64); } start SEC(".maps");
 * @SEC(".maps") static final BpfHashMap<Integer, Long> start = new BpfHashMap<>(Integer.class, Long.class, 8192);
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class BpfHashMap<K, V> extends BpfKvMap<K, V> {
    /**
     * @param keyType the key type
     * @param valueType the value type
     * @param maxEntries {@code max_entries}
     */
    public BpfHashMap(Class<K> keyType, Class<V> valueType, int maxEntries) {
        super(BpfMapType.HASH, keyType, valueType, null, maxEntries);
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM} from user space.
     *
     * @param key the key
     * @return the value, or null
     */
    public V lookup(K key) {
        java.util.List<V> v = values(key);
        return v.isEmpty() ? null : v.get(0);
    }
}
