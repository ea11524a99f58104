package dev.ksim.sdk.bpf;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.spi.KernelBinding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A map of keys to values: hash and array maps, plain or per-CPU. Programs use it through
 * {@link Bpf#bpf_map_lookup_elem}, {@link Bpf#bpf_map_update_elem} and {@link Bpf#bpf_map_delete_elem};
 * user space through {@link #keys()}, {@link #values(Object)}, {@link #update} and {@link #delete}, as the
 * {@code bpf(2)} commands {@code BPF_MAP_GET_NEXT_KEY}, {@code BPF_MAP_LOOKUP_ELEM},
 * {@code BPF_MAP_UPDATE_ELEM} and {@code BPF_MAP_DELETE_ELEM} do.
 *
 * <p>The error codes are the kernel's ({@code kernel/bpf/hashtab.c}, {@code kernel/bpf/arraymap.c}):
 * unknown flags {@code -EINVAL}; {@code BPF_NOEXIST} on an existing key {@code -EEXIST};
 * {@code BPF_EXIST} on a missing key {@code -ENOENT}; a new key in a full hash map, or an index at or past
 * {@code max_entries} in an array, {@code -E2BIG}; deleting from an array {@code -EINVAL}.
 *
 * <p>A per-CPU map keeps one value per possible CPU for each key: a program sees and changes its own
 * CPU's value, and a new key starts with zero values on the other CPUs; user space reads all of them and
 * writes all of them at once.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract sealed class BpfKvMap<K, V> extends BpfMap
        permits BpfHashMap, BpfArrayMap, BpfPercpuHashMap, BpfPercpuArrayMap {
    private final Class<K> keyType;
    private final Class<V> valueType;
    /** The value of an array element nobody wrote, and of other CPUs' slots of a new per-CPU element. */
    private final V zero;
    /** Values per element: the number of possible CPUs for per-CPU maps, else 1. */
    private final int slots;
    private final boolean array;
    /** Elements in insertion order (index order for arrays), one slot per CPU; guarded by {@code this}. */
    private final Map<K, Object[]> elems = new LinkedHashMap<>();

    BpfKvMap(BpfMapType type, Class<K> keyType, Class<V> valueType, V zero, int maxEntries) {
        super(type, maxEntries);
        this.keyType = Objects.requireNonNull(keyType, "key type");
        this.valueType = Objects.requireNonNull(valueType, "value type");
        this.zero = zero;
        this.array = type == BpfMapType.ARRAY || type == BpfMapType.PERCPU_ARRAY;
        this.slots = type == BpfMapType.PERCPU_ARRAY || type == BpfMapType.PERCPU_HASH
                ? Math.max(1, KernelBinding.current().num_possible_cpus()) : 1;
        if (array) {
            for (int i = 0; i < maxEntries; i++) {
                Object[] e = new Object[slots];
                Arrays.fill(e, zero);
                elems.put(keyType.cast(i), e);
            }
        }
    }

    @Override
    public final int keySize() {
        return BpfSizes.sizeof(keyType);
    }

    @Override
    public final int valueSize() {
        return BpfSizes.sizeof(valueType);
    }

    /** @return the key type */
    public final Class<K> keyType() {
        return keyType;
    }

    /** @return the value type */
    public final Class<V> valueType() {
        return valueType;
    }

    /** @return true for per-CPU maps, whose elements hold a value per possible CPU */
    public final boolean percpu() {
        return type() == BpfMapType.PERCPU_HASH || type() == BpfMapType.PERCPU_ARRAY;
    }

    // ---------------------------------------------------------------- program side

    /** {@code map->ops->map_lookup_elem} from a program: this CPU's value, or null. */
    final synchronized V lookupElem(K key) {
        Object[] e = key == null ? null : elems.get(key);
        return e == null ? null : valueType.cast(e[slot()]);
    }

    /** {@code map->ops->map_update_elem}: from a program ({@code allCpus} false) or from user space. */
    final synchronized int updateElem(K key, V value, long flags, boolean allCpus) {
        if (flags < 0 || flags > Bpf.BPF_EXIST) {
            return -Errno.EINVAL;
        }
        if (key == null || value == null || !keyType.isInstance(key) || !valueType.isInstance(value)) {
            return -Errno.EINVAL;
        }
        Object[] old = elems.get(key);
        if (array) {
            if (old == null) {
                return -Errno.E2BIG;
            }
            if (flags == Bpf.BPF_NOEXIST) {
                return -Errno.EEXIST;
            }
        } else {
            if (old != null && flags == Bpf.BPF_NOEXIST) {
                return -Errno.EEXIST;
            }
            if (old == null && flags == Bpf.BPF_EXIST) {
                return -Errno.ENOENT;
            }
            if (old == null && elems.size() >= maxEntries()) {
                return -Errno.E2BIG;
            }
        }
        Object[] e = old != null ? old : new Object[slots];
        if (old == null) {
            Arrays.fill(e, zero);
            elems.put(key, e);
        }
        if (allCpus) {
            Arrays.fill(e, value);
        } else {
            e[slot()] = value;
        }
        return 0;
    }

    /** {@code map->ops->map_delete_elem}. */
    final synchronized int deleteElem(K key) {
        if (array) {
            return -Errno.EINVAL;
        }
        return key != null && elems.remove(key) != null ? 0 : -Errno.ENOENT;
    }

    private int slot() {
        if (slots == 1) {
            return 0;
        }
        int cpu = KernelBinding.current().smp_processor_id();
        return cpu >= 0 && cpu < slots ? cpu : 0;
    }

    // ---------------------------------------------------------------- user space

    /** @return the keys in the order {@code BPF_MAP_GET_NEXT_KEY} walks them */
    public final synchronized List<K> keys() {
        return new ArrayList<>(elems.keySet());
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM} from user space.
     *
     * @param key the key
     * @return the element's value (one per possible CPU for a per-CPU map, CPU 0 first), or an empty list
     *     if there is no such element
     */
    public final synchronized List<V> values(K key) {
        Object[] e = key == null ? null : elems.get(key);
        List<V> out = new ArrayList<>();
        if (e != null) {
            for (Object v : e) {
                out.add(valueType.cast(v));
            }
        }
        return out;
    }

    /**
     * {@code BPF_MAP_UPDATE_ELEM} from user space; a per-CPU map gets the value on every CPU.
     *
     * @param key the key
     * @param value the value
     * @param flags {@link Bpf#BPF_ANY}, {@link Bpf#BPF_NOEXIST} or {@link Bpf#BPF_EXIST}
     * @return 0 or a negative errno, as for {@link Bpf#bpf_map_update_elem}
     */
    public final int update(K key, V value, long flags) {
        return updateElem(key, value, flags, true);
    }

    /**
     * {@code BPF_MAP_DELETE_ELEM} from user space.
     *
     * @param key the key
     * @return 0, {@code -ENOENT} if there is no such key, {@code -EINVAL} for an array
     */
    public final int delete(K key) {
        return deleteElem(key);
    }
}
