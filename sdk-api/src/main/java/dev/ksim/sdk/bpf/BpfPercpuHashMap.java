package dev.ksim.sdk.bpf;

/**
 * {@code BPF_MAP_TYPE_PERCPU_HASH}: a hash map with a value per possible CPU for each key, so programs
 * on different CPUs never race on a value. A key a program adds has its value on the program's CPU and
 * {@code zero} on the others.
 *
 * <pre>{@code
 * @SEC(".maps") static final BpfPercpuHashMap<Integer, Long> calls = new BpfPercpuHashMap<>(Integer.class, 0L, 1024);
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class BpfPercpuHashMap<K, V> extends BpfKvMap<K, V> {
    /**
     * @param keyType the key type
     * @param zero the value other CPUs see for a key added on one CPU; its class is the value type
     * @param maxEntries {@code max_entries}
     */
    @SuppressWarnings("unchecked")
    public BpfPercpuHashMap(Class<K> keyType, V zero, int maxEntries) {
        super(BpfMapType.PERCPU_HASH, keyType, (Class<V>) zero.getClass(), zero, maxEntries);
    }
}
