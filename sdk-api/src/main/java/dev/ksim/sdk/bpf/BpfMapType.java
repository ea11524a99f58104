package dev.ksim.sdk.bpf;

/** {@code enum bpf_map_type}: the map types ksim implements, named as {@code bpftool} prints them. */
public enum BpfMapType {
    /** {@code BPF_MAP_TYPE_HASH}. */
    HASH(1, "hash"),
    /** {@code BPF_MAP_TYPE_ARRAY}. */
    ARRAY(2, "array"),
    /** {@code BPF_MAP_TYPE_PERCPU_HASH}. */
    PERCPU_HASH(5, "percpu_hash"),
    /** {@code BPF_MAP_TYPE_PERCPU_ARRAY}. */
    PERCPU_ARRAY(6, "percpu_array"),
    /** {@code BPF_MAP_TYPE_RINGBUF}. */
    RINGBUF(27, "ringbuf");

    private final int value;
    private final String bpftoolName;

    BpfMapType(int value, String bpftoolName) {
        this.value = value;
        this.bpftoolName = bpftoolName;
    }

    /** @return the enum's value in {@code include/uapi/linux/bpf.h} */
    public int value() {
        return value;
    }

    /** @return the name {@code bpftool map list} prints */
    public String bpftoolName() {
        return bpftoolName;
    }
}
