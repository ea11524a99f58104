package dev.ksim.sdk.bpf;

/**
 * A BPF map: storage a program shares with other programs and with user space. Declared as a
 * {@code @SEC(".maps") static final} field of a program class, as libbpf declares maps in the
 * {@code .maps} section; the loader names it after the field and gives it an id, as
 * {@code BPF_MAP_CREATE} does, and user space reaches it through the loader ({@code bpf map dump}).
 *
 * <p>A map is safe for concurrent use by programs on every CPU and by user space. Its values are
 * immutable Java values (boxed numbers, strings, records): where a C program changes a value in place
 * through the pointer {@code bpf_map_lookup_elem} returns, a Java program stores a new value with
 * {@code bpf_map_update_elem}.
 */
public abstract sealed class BpfMap permits BpfKvMap, BpfRingBuf {
    /** {@code BPF_OBJ_NAME_LEN}: map and program names keep at most this many bytes minus the NUL. */
    public static final int BPF_OBJ_NAME_LEN = 16;

    private final BpfMapType type;
    private final int maxEntries;
    /** Set once by the loader before any program runs; read by any thread afterwards. */
    private volatile int id;
    /** Set once by the loader with {@link #id}. */
    private volatile String name = "";

    /**
     * @param type the map type
     * @param maxEntries {@code max_entries}; checked by the loader ({@link #createError()})
     */
    BpfMap(BpfMapType type, int maxEntries) {
        this.type = type;
        this.maxEntries = maxEntries;
    }

    /** @return the map's type */
    public final BpfMapType type() {
        return type;
    }

    /** @return {@code max_entries} */
    public final int maxEntries() {
        return maxEntries;
    }

    /** @return the id the loader gave the map, 0 before it is loaded */
    public final int id() {
        return id;
    }

    /** @return the map's name (its field's name, cut to 15 bytes), empty before it is loaded */
    public final String name() {
        return name;
    }

    /**
     * What {@code map_create()} says of the definition: {@code -EINVAL} for a {@code max_entries} of 0 or
     * less, and for a ring buffer whose size is not a power of two and a multiple of the page size.
     *
     * @return 0 if the map can be created, else a negative errno
     */
    public int createError() {
        return maxEntries > 0 ? 0 : -dev.ksim.sdk.Errno.EINVAL;
    }

    /** @return {@code key_size} in bytes as BTF would give it, or -1 if the key type has no fixed size */
    public abstract int keySize();

    /** @return {@code value_size} in bytes, or -1 if the value type has no fixed size */
    public abstract int valueSize();

    /**
     * Gives the map its identity; called once by the loader when it creates the map.
     *
     * @param id the map id
     * @param name the map's name; cut to {@code BPF_OBJ_NAME_LEN - 1} characters
     * @throws IllegalStateException if the map was already created (it belongs to a loaded object)
     */
    public final synchronized void create(int id, String name) {
        if (this.id != 0) {
            throw new IllegalStateException("map '" + this.name + "' is already created with id " + this.id);
        }
        this.name = name.length() >= BPF_OBJ_NAME_LEN ? name.substring(0, BPF_OBJ_NAME_LEN - 1) : name;
        this.id = id;
    }
}
