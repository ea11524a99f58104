package dev.ksim.sdk.linux;

/**
 * {@code struct mm_struct}: a process's address space. The {@code arg_*}/{@code env_*} bounds are
 * <em>user</em> addresses: the argument and environment strings live in the process's memory and must
 * be copied with a user-access function, not read through a kernel view.
 */
public final class MmStruct extends KernelStruct {
    /** @param addr the mm's address */
    public MmStruct(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "mm_struct";
    }

    /** @return {@code mm_users}: tasks sharing this address space */
    public int mm_users() {
        return i32("mm_users");
    }

    /** @return {@code mm_count}: references to the structure */
    public int mm_count() {
        return i32("mm_count");
    }

    /** @return {@code map_count}: the number of mappings */
    public int map_count() {
        return i32("map_count");
    }

    /** @return {@code task_size}: the end of user space */
    public long task_size() {
        return i64("task_size");
    }

    /** @return {@code start_code} */
    public long start_code() {
        return i64("start_code");
    }

    /** @return {@code end_code} */
    public long end_code() {
        return i64("end_code");
    }

    /** @return {@code start_brk}: the heap's start */
    public long start_brk() {
        return i64("start_brk");
    }

    /** @return {@code brk}: the heap's end */
    public long brk() {
        return i64("brk");
    }

    /** @return {@code start_stack}: the initial user stack pointer */
    public long start_stack() {
        return i64("start_stack");
    }

    /** @return {@code arg_start}: the first argument string (user address) */
    public long arg_start() {
        return i64("arg_start");
    }

    /** @return {@code arg_end}: just past the last argument's NUL (user address) */
    public long arg_end() {
        return i64("arg_end");
    }

    /** @return {@code env_start}: the first environment string (user address) */
    public long env_start() {
        return i64("env_start");
    }

    /** @return {@code env_end}: just past the last environment string's NUL (user address) */
    public long env_end() {
        return i64("env_end");
    }

    /** @return {@code total_vm}: mapped pages */
    public long total_vm() {
        return i64("total_vm");
    }

    /** @return {@code exe_file}: the executable ({@code /proc/<pid>/exe}), possibly NULL */
    public File exe_file() {
        return new File(ptr("exe_file"));
    }
}
