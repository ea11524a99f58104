package dev.ksim.kernel.mm;

/**
 * The structure data of {@link StructLayouts#x86_64_v6()}: x86_64, Linux 6.1, a distribution-like
 * configuration. Offsets were derived by walking each structure of the 6.1 headers member by member with
 * LP64 sizes and alignment; members the simulator does not need are left out, and their bytes show up as
 * gaps (each gap is annotated with what fills it). Sizes of the large structures depend on the
 * {@code .config} and are approximate. Version notes per structure say where other kernels differ.
 */
final class X86_64V6 {
    private X86_64V6() {
    }

    static StructLayouts.Builder define(StructLayouts.Builder b) {
        commonTypes(b);
        task(b);
        credAndMm(b);
        exec(b);
        vfs(b);
        block(b);
        process(b);
        return b;
    }

    /** Small structures embedded in the others. */
    private static void commonTypes(StructLayouts.Builder b) {
        b.struct("list_head", 16, 0)
                .member(0x0, "next", "struct list_head *")
                .member(0x8, "prev", "struct list_head *");
        b.struct("hlist_node", 16, 0)
                .member(0x0, "next", "struct hlist_node *")
                .member(0x8, "pprev", "struct hlist_node **");
        // union { struct { u32 hash; u32 len; }; u64 hash_len; } then name: only the struct arm is listed.
        b.struct("qstr", 16, 0)
                .member(0x0, "hash", "u32")
                .member(0x4, "len", "u32")
                .member(0x8, "name", "const unsigned char *");
        b.struct("path", 16, 0)
                .member(0x0, "mnt", "struct vfsmount *")
                .member(0x8, "dentry", "struct dentry *");
        b.struct("rlimit", 16, 0)
                .member(0x0, "rlim_cur", "unsigned long")
                .member(0x8, "rlim_max", "unsigned long");
        b.struct("timespec64", 16, 0)
                .member(0x0, "tv_sec", "time64_t")
                .member(0x8, "tv_nsec", "long");
        // x86_64 CONFIG_THREAD_INFO_IN_TASK: the first member of task_struct. arm64's differs.
        b.struct("thread_info", 24, 0)
                .member(0x00, "flags", "unsigned long")
                .member(0x08, "syscall_work", "unsigned long")
                .member(0x10, "status", "u32");
    }

    /**
     * {@code struct task_struct} (include/linux/sched.h). 6.1 renamed nothing the HIDS fields use except
     * {@code state} → {@code __state} (5.14). {@code thread_group} was removed in 6.7. The size includes
     * {@code thread_struct} and its dynamically sized FPU state at the end and varies with the CPU.
     */
    private static void task(StructLayouts.Builder b) {
        b.struct("task_struct", 0x2600, 64)
                .member(0x000, "thread_info", "struct thread_info")
                .member(0x018, "__state", "unsigned int")
                .member(0x020, "stack", "void *")
                .member(0x028, "usage", "refcount_t")
                .member(0x02c, "flags", "unsigned int")
                .member(0x030, "ptrace", "unsigned int")
                .member(0x034, "on_cpu", "int")
                // 0x038 wake_entry (__call_single_node, 16)
                .member(0x048, "wakee_flips", "unsigned int")
                .member(0x050, "wakee_flip_decay_ts", "unsigned long")
                .member(0x058, "last_wakee", "struct task_struct *")
                .member(0x060, "recent_used_cpu", "int")
                .member(0x064, "wake_cpu", "int")
                .member(0x068, "on_rq", "int")
                .member(0x06c, "prio", "int")
                .member(0x070, "static_prio", "int")
                .member(0x074, "normal_prio", "int")
                .member(0x078, "rt_priority", "unsigned int")
                // 0x080 se (sched_entity, 64-aligned, 256), 0x180 rt (48), 0x1b0 dl (224)
                .member(0x290, "sched_class", "const struct sched_class *")
                // 0x298 core_node, core_cookie, core_occupation; 0x2c0 sched_task_group; uclamp;
                // 0x300 stats (sched_statistics, 64-aligned, 256); 0x400 preempt_notifiers
                .member(0x408, "btrace_seq", "unsigned int")
                .member(0x40c, "policy", "unsigned int")
                .member(0x410, "nr_cpus_allowed", "int")
                .member(0x418, "cpus_ptr", "const cpumask_t *")
                .member(0x420, "user_cpus_ptr", "cpumask_t *")
                // 0x428 cpus_mask (1024 bytes for NR_CPUS=8192), migration_*, RCU and tasks-RCU state,
                // 0x8b0 sched_info (32)
                .member(0x8d0, "tasks", "struct list_head")
                // 0x8e0 pushable_tasks (plist_node, 40), 0x908 pushable_dl_tasks (rb_node, 24)
                .member(0x920, "mm", "struct mm_struct *")
                .member(0x928, "active_mm", "struct mm_struct *")
                .member(0x930, "exit_state", "int")
                .member(0x934, "exit_code", "int")
                .member(0x938, "exit_signal", "int")
                .member(0x93c, "pdeath_signal", "int")
                .member(0x940, "jobctl", "unsigned long")
                .member(0x948, "personality", "unsigned int")
                // 0x94c, 0x950 scheduler and 'current' bitfield words
                .member(0x958, "atomic_flags", "unsigned long")
                // 0x960 restart_block (48)
                .member(0x990, "pid", "pid_t")
                .member(0x994, "tgid", "pid_t")
                .member(0x998, "stack_canary", "unsigned long")
                .member(0x9a0, "real_parent", "struct task_struct __rcu *")
                .member(0x9a8, "parent", "struct task_struct __rcu *")
                .member(0x9b0, "children", "struct list_head")
                .member(0x9c0, "sibling", "struct list_head")
                .member(0x9d0, "group_leader", "struct task_struct *")
                .member(0x9d8, "ptraced", "struct list_head")
                .member(0x9e8, "ptrace_entry", "struct list_head")
                .member(0x9f8, "thread_pid", "struct pid *")
                .member(0xa00, "pid_links", "struct hlist_node[4]")
                .member(0xa40, "thread_group", "struct list_head")
                .member(0xa50, "thread_node", "struct list_head")
                .member(0xa60, "vfork_done", "struct completion *")
                .member(0xa68, "set_child_tid", "int __user *")
                .member(0xa70, "clear_child_tid", "int __user *")
                .member(0xa78, "worker_private", "void *")
                .member(0xa80, "utime", "u64")
                .member(0xa88, "stime", "u64")
                .member(0xa90, "gtime", "u64")
                // 0xa98 prev_cputime (24), 0xab0 vtime (48)
                .member(0xae0, "tick_dep_mask", "atomic_t")
                .member(0xae8, "nvcsw", "unsigned long")
                .member(0xaf0, "nivcsw", "unsigned long")
                .member(0xaf8, "start_time", "u64")
                .member(0xb00, "start_boottime", "u64")
                .member(0xb08, "min_flt", "unsigned long")
                .member(0xb10, "maj_flt", "unsigned long")
                // 0xb18 posix_cputimers (80), 0xb68 posix_cputimers_work (24)
                .member(0xb80, "ptracer_cred", "const struct cred __rcu *")
                .member(0xb88, "real_cred", "const struct cred __rcu *")
                .member(0xb90, "cred", "const struct cred __rcu *")
                .member(0xb98, "cached_requested_key", "struct key *")
                .member(0xba0, "comm", "char[16]")
                .member(0xbb0, "nameidata", "struct nameidata *")
                // 0xbb8 sysvsem (8), 0xbc0 sysvshm (16)
                .member(0xbd0, "last_switch_count", "unsigned long")
                .member(0xbd8, "last_switch_time", "unsigned long")
                .member(0xbe0, "fs", "struct fs_struct *")
                .member(0xbe8, "files", "struct files_struct *")
                .member(0xbf0, "io_uring", "struct io_uring_task *")
                .member(0xbf8, "nsproxy", "struct nsproxy *")
                .member(0xc00, "signal", "struct signal_struct *")
                .member(0xc08, "sighand", "struct sighand_struct __rcu *")
                .member(0xc10, "blocked", "sigset_t")
                .member(0xc18, "real_blocked", "sigset_t")
                .member(0xc20, "saved_sigmask", "sigset_t")
                // 0xc28 pending (sigpending, 24)
                .member(0xc40, "sas_ss_sp", "unsigned long")
                .member(0xc48, "sas_ss_size", "size_t")
                .member(0xc50, "sas_ss_flags", "unsigned int")
                .member(0xc58, "task_works", "struct callback_head *")
                .member(0xc60, "audit_context", "struct audit_context *")
                .member(0xc68, "loginuid", "kuid_t")
                .member(0xc6c, "sessionid", "unsigned int")
                // 0xc70 seccomp (16), 0xc80 syscall_dispatch (32)
                .member(0xca0, "parent_exec_id", "u64")
                .member(0xca8, "self_exec_id", "u64")
                .member(0xcb0, "alloc_lock", "spinlock_t")
                .member(0xcb4, "pi_lock", "raw_spinlock_t");
        // ... wake_q, PI, journal, io, perf, NUMA, rseq, memcg, kmap state, and thread_struct at the end.
    }

    /**
     * {@code struct cred} (include/linux/cred.h, 6.1: {@code usage} is {@code atomic_t}; 6.8 made it
     * {@code atomic_long_t} and moved every later member by 4) and {@code struct mm_struct}
     * (include/linux/mm_types.h, 6.1: maple tree, no {@code mmap} list).
     */
    private static void credAndMm(StructLayouts.Builder b) {
        b.struct("cred", 176, 0)
                .member(0x00, "usage", "atomic_t")
                .member(0x04, "uid", "kuid_t")
                .member(0x08, "gid", "kgid_t")
                .member(0x0c, "suid", "kuid_t")
                .member(0x10, "sgid", "kgid_t")
                .member(0x14, "euid", "kuid_t")
                .member(0x18, "egid", "kgid_t")
                .member(0x1c, "fsuid", "kuid_t")
                .member(0x20, "fsgid", "kgid_t")
                .member(0x24, "securebits", "unsigned")
                .member(0x28, "cap_inheritable", "kernel_cap_t")
                .member(0x30, "cap_permitted", "kernel_cap_t")
                .member(0x38, "cap_effective", "kernel_cap_t")
                .member(0x40, "cap_bset", "kernel_cap_t")
                .member(0x48, "cap_ambient", "kernel_cap_t")
                .member(0x50, "jit_keyring", "unsigned char")
                .member(0x58, "session_keyring", "struct key *")
                .member(0x60, "process_keyring", "struct key *")
                .member(0x68, "thread_keyring", "struct key *")
                .member(0x70, "request_key_auth", "struct key *")
                .member(0x78, "security", "void *")
                .member(0x80, "user", "struct user_struct *")
                .member(0x88, "user_ns", "struct user_namespace *")
                .member(0x90, "ucounts", "struct ucounts *")
                .member(0x98, "group_info", "struct group_info *");
        // 0xa0 union { int non_rcu; struct rcu_head rcu; } (16)

        b.struct("mm_struct", 0x440, 0)
                // 0x000 mm_mt (maple_tree, 16), 0x010 get_unmapped_area (function pointer)
                .member(0x018, "mmap_base", "unsigned long")
                .member(0x020, "mmap_legacy_base", "unsigned long")
                .member(0x028, "mmap_compat_base", "unsigned long")
                .member(0x030, "mmap_compat_legacy_base", "unsigned long")
                .member(0x038, "task_size", "unsigned long")
                .member(0x040, "pgd", "pgd_t *")
                .member(0x048, "membarrier_state", "atomic_t")
                .member(0x04c, "mm_users", "atomic_t")
                .member(0x050, "mm_count", "atomic_t")
                .member(0x058, "pgtables_bytes", "atomic_long_t")
                .member(0x060, "map_count", "int")
                .member(0x064, "page_table_lock", "spinlock_t")
                // 0x068 mmap_lock (rw_semaphore, 40)
                .member(0x090, "mmlist", "struct list_head")
                .member(0x0a0, "hiwater_rss", "unsigned long")
                .member(0x0a8, "hiwater_vm", "unsigned long")
                .member(0x0b0, "total_vm", "unsigned long")
                .member(0x0b8, "locked_vm", "unsigned long")
                .member(0x0c0, "pinned_vm", "atomic64_t")
                .member(0x0c8, "data_vm", "unsigned long")
                .member(0x0d0, "exec_vm", "unsigned long")
                .member(0x0d8, "stack_vm", "unsigned long")
                .member(0x0e0, "def_flags", "unsigned long")
                .member(0x0e8, "write_protect_seq", "seqcount_t")
                .member(0x0ec, "arg_lock", "spinlock_t")
                .member(0x0f0, "start_code", "unsigned long")
                .member(0x0f8, "end_code", "unsigned long")
                .member(0x100, "start_data", "unsigned long")
                .member(0x108, "end_data", "unsigned long")
                .member(0x110, "start_brk", "unsigned long")
                .member(0x118, "brk", "unsigned long")
                .member(0x120, "start_stack", "unsigned long")
                .member(0x128, "arg_start", "unsigned long")
                .member(0x130, "arg_end", "unsigned long")
                .member(0x138, "env_start", "unsigned long")
                .member(0x140, "env_end", "unsigned long")
                .member(0x148, "saved_auxv", "unsigned long[48]")
                // 0x2c8 rss_stat (32)
                .member(0x2e8, "binfmt", "struct linux_binfmt *")
                // 0x2f0 context (mm_context_t, 144)
                .member(0x380, "flags", "unsigned long")
                // 0x388 ioctx_lock, 0x390 ioctx_table
                .member(0x398, "owner", "struct task_struct __rcu *")
                .member(0x3a0, "user_ns", "struct user_namespace *")
                .member(0x3a8, "exe_file", "struct file __rcu *");
        // ... notifiers, NUMA scan state, tlb_flush_pending, uprobes, KSM; cpu_bitmap[] follows sizeof.
    }

    /**
     * {@code struct filename} (include/linux/fs.h; {@code iname} is a flexible array, filled in place when
     * the name fits the {@code names_cache} object) and {@code struct linux_binprm}
     * (include/linux/binfmts.h, 5.9+ layout: {@code executable}/{@code interpreter}/{@code fdpath}/
     * {@code execfd}; {@code buf} grew to 256 bytes in 5.0 and moved last).
     */
    private static void exec(StructLayouts.Builder b) {
        b.struct("filename", 32, 0)
                .member(0x00, "name", "const char *")
                .member(0x08, "uptr", "const __user char *")
                .member(0x10, "refcnt", "atomic_t")
                .member(0x18, "aname", "struct audit_names *")
                .member(0x20, "iname", "const char[]");

        b.struct("linux_binprm", 416, 0)
                .member(0x000, "vma", "struct vm_area_struct *")
                .member(0x008, "vma_pages", "unsigned long")
                .member(0x010, "mm", "struct mm_struct *")
                .member(0x018, "p", "unsigned long")
                .member(0x020, "argmin", "unsigned long")
                // 0x028 have_execfd/execfd_creds/secureexec/point_of_no_return bitfields (4)
                .member(0x030, "executable", "struct file *")
                .member(0x038, "interpreter", "struct file *")
                .member(0x040, "file", "struct file *")
                .member(0x048, "cred", "struct cred *")
                .member(0x050, "unsafe", "int")
                .member(0x054, "per_clear", "unsigned int")
                .member(0x058, "argc", "int")
                .member(0x05c, "envc", "int")
                .member(0x060, "filename", "const char *")
                .member(0x068, "interp", "const char *")
                .member(0x070, "fdpath", "const char *")
                .member(0x078, "interp_flags", "unsigned int")
                .member(0x07c, "execfd", "int")
                .member(0x080, "loader", "unsigned long")
                .member(0x088, "exec", "unsigned long")
                .member(0x090, "rlim_stack", "struct rlimit")
                .member(0x0a0, "buf", "char[256]");
    }

    /** The VFS objects (include/linux/fs.h, dcache.h, mount.h), 6.1. */
    private static void vfs(StructLayouts.Builder b) {
        b.struct("file", 232, 0)
                // 0x00 f_u (llist_node / rcu_head union, 16)
                .member(0x10, "f_path", "struct path")
                .member(0x20, "f_inode", "struct inode *")
                .member(0x28, "f_op", "const struct file_operations *")
                .member(0x30, "f_lock", "spinlock_t")
                .member(0x38, "f_count", "atomic_long_t")
                .member(0x40, "f_flags", "unsigned int")
                .member(0x44, "f_mode", "fmode_t")
                // 0x48 f_pos_lock (mutex, 32)
                .member(0x68, "f_pos", "loff_t")
                // 0x70 f_owner (fown_struct, 32)
                .member(0x90, "f_cred", "const struct cred *")
                // 0x98 f_ra (file_ra_state, 32)
                .member(0xb8, "f_version", "u64")
                .member(0xc0, "f_security", "void *")
                .member(0xc8, "private_data", "void *")
                .member(0xd0, "f_ep", "struct hlist_head *")
                .member(0xd8, "f_mapping", "struct address_space *")
                .member(0xe0, "f_wb_err", "errseq_t")
                .member(0xe4, "f_sb_err", "errseq_t");

        b.struct("dentry", 192, 0)
                .member(0x00, "d_flags", "unsigned int")
                .member(0x04, "d_seq", "seqcount_spinlock_t")
                // 0x08 d_hash (hlist_bl_node, 16)
                .member(0x18, "d_parent", "struct dentry *")
                .member(0x20, "d_name", "struct qstr")
                .member(0x30, "d_inode", "struct inode *")
                .member(0x38, "d_iname", "unsigned char[32]")
                // 0x58 d_lockref (8)
                .member(0x60, "d_op", "const struct dentry_operations *")
                .member(0x68, "d_sb", "struct super_block *")
                .member(0x70, "d_time", "unsigned long")
                .member(0x78, "d_fsdata", "void *")
                .member(0x80, "d_lru", "struct list_head")
                .member(0x90, "d_child", "struct list_head")
                .member(0xa0, "d_subdirs", "struct list_head");
        // 0xb0 d_u (d_alias / d_in_lookup_hash / d_rcu, 16)

        b.struct("inode", 600, 0)
                .member(0x00, "i_mode", "umode_t")
                .member(0x02, "i_opflags", "unsigned short")
                .member(0x04, "i_uid", "kuid_t")
                .member(0x08, "i_gid", "kgid_t")
                .member(0x0c, "i_flags", "unsigned int")
                .member(0x10, "i_acl", "struct posix_acl *")
                .member(0x18, "i_default_acl", "struct posix_acl *")
                .member(0x20, "i_op", "const struct inode_operations *")
                .member(0x28, "i_sb", "struct super_block *")
                .member(0x30, "i_mapping", "struct address_space *")
                .member(0x38, "i_security", "void *")
                .member(0x40, "i_ino", "unsigned long")
                .member(0x48, "i_nlink", "unsigned int")
                .member(0x4c, "i_rdev", "dev_t")
                .member(0x50, "i_size", "loff_t")
                .member(0x58, "i_atime", "struct timespec64")
                .member(0x68, "i_mtime", "struct timespec64")
                .member(0x78, "i_ctime", "struct timespec64")
                .member(0x88, "i_lock", "spinlock_t")
                .member(0x8c, "i_bytes", "unsigned short")
                .member(0x8e, "i_blkbits", "u8")
                .member(0x8f, "i_write_hint", "u8")
                .member(0x90, "i_blocks", "blkcnt_t")
                .member(0x98, "i_state", "unsigned long")
                // 0xa0 i_rwsem (rw_semaphore, 40)
                .member(0xc8, "dirtied_when", "unsigned long")
                .member(0xd0, "dirtied_time_when", "unsigned long")
                .member(0xd8, "i_hash", "struct hlist_node")
                .member(0xe8, "i_io_list", "struct list_head")
                .member(0xf8, "i_wb", "struct bdi_writeback *");
        // ... i_lru, i_sb_list, i_dentry, i_version, i_count, i_fop, i_data (address_space), i_private.

        // struct vfsmount (include/linux/mount.h): 6.3 replaced mnt_userns with mnt_idmap.
        b.struct("vfsmount", 32, 0)
                .member(0x00, "mnt_root", "struct dentry *")
                .member(0x08, "mnt_sb", "struct super_block *")
                .member(0x10, "mnt_flags", "int")
                .member(0x18, "mnt_userns", "struct user_namespace *");

        b.struct("super_block", 1280, 0)
                .member(0x00, "s_list", "struct list_head")
                .member(0x10, "s_dev", "dev_t")
                .member(0x14, "s_blocksize_bits", "unsigned char")
                .member(0x18, "s_blocksize", "unsigned long")
                .member(0x20, "s_maxbytes", "loff_t")
                .member(0x28, "s_type", "struct file_system_type *")
                .member(0x30, "s_op", "const struct super_operations *")
                // 0x38 dq_op, 0x40 s_qcop, 0x48 s_export_op
                .member(0x50, "s_flags", "unsigned long")
                .member(0x58, "s_iflags", "unsigned long")
                .member(0x60, "s_magic", "unsigned long")
                .member(0x68, "s_root", "struct dentry *");
    }

    /**
     * The block layer (include/linux/blkdev.h, backing-dev-defs.h), 6.1. {@code request_queue} lost its
     * {@code backing_dev_info} pointer in 5.15 (it moved to {@code gendisk.bdi}, reached as
     * {@code q->disk->bdi}); before 4.11 it was embedded by value ({@code q->backing_dev_info.ra_pages}).
     * This profile keeps the 4.11–5.14 pointer member at the slot after {@code disk} so that modules
     * written for those kernels (the {@code queue_ra_show} example) still run; both routes reach the
     * same {@code backing_dev_info}.
     */
    private static void block(StructLayouts.Builder b) {
        b.struct("request_queue", 1024, 0)
                .member(0x00, "last_merge", "struct request *")
                .member(0x08, "elevator", "struct elevator_queue *")
                // 0x10 q_usage_counter (percpu_ref, 16)
                .member(0x20, "stats", "struct blk_queue_stats *")
                .member(0x28, "rq_qos", "struct rq_qos *")
                .member(0x30, "mq_ops", "const struct blk_mq_ops *")
                .member(0x38, "queue_ctx", "struct blk_mq_ctx __percpu *")
                .member(0x40, "queue_depth", "unsigned int")
                // 0x48 hctx_table (xarray, 16)
                .member(0x58, "nr_hw_queues", "unsigned int")
                .member(0x60, "queuedata", "void *")
                .member(0x68, "queue_flags", "unsigned long")
                .member(0x70, "pm_only", "atomic_t")
                .member(0x74, "id", "int")
                .member(0x78, "queue_lock", "spinlock_t")
                .member(0x80, "disk", "struct gendisk *")
                .member(0x88, "backing_dev_info", "struct backing_dev_info *")
                .member(0x90, "mq_kobj", "struct kobject *");
        // ... limits, requests, timeouts, tag sets, debugfs.

        b.struct("backing_dev_info", 1232, 0)
                .member(0x00, "id", "u64")
                // 0x08 rb_node (24)
                .member(0x20, "bdi_list", "struct list_head")
                .member(0x30, "ra_pages", "unsigned long")
                .member(0x38, "io_pages", "unsigned long")
                // 0x40 refcnt (kref, 4)
                .member(0x44, "capabilities", "unsigned int")
                .member(0x48, "min_ratio", "unsigned int")
                .member(0x4c, "max_ratio", "unsigned int")
                .member(0x50, "max_prop_frac", "unsigned int")
                .member(0x58, "tot_write_bandwidth", "atomic_long_t")
                // 0x60 wb (bdi_writeback), wb_list, cgwb_tree, cgwb_release_mutex, wb_switch_rwsem, wb_waitq
                .member(0x450, "dev", "struct device *")
                .member(0x458, "dev_name", "char[64]")
                .member(0x498, "owner", "struct device *");
        // 0x4a0 laptop_mode_wb_timer (40), 0x4c8 debug_dir

        b.struct("gendisk", 704, 0)
                .member(0x000, "major", "int")
                .member(0x004, "first_minor", "int")
                .member(0x008, "minors", "int")
                .member(0x00c, "disk_name", "char[32]")
                .member(0x02c, "events", "unsigned short")
                .member(0x02e, "event_flags", "unsigned short")
                // 0x030 part_tbl (xarray, 16)
                .member(0x040, "part0", "struct block_device *")
                .member(0x048, "fops", "const struct block_device_operations *")
                .member(0x050, "queue", "struct request_queue *")
                .member(0x058, "private_data", "void *")
                // 0x060 bio_split (bio_set, 376)
                .member(0x1d8, "flags", "int")
                .member(0x1e0, "state", "unsigned long")
                // 0x1e8 open_mutex (32)
                .member(0x208, "open_partitions", "unsigned")
                .member(0x210, "bdi", "struct backing_dev_info *");
    }

    /**
     * Process creation and the per-process objects a task points to: {@code kernel_clone_args}
     * (include/linux/sched/task.h, 6.1: {@code fn}/{@code fn_arg} function pointer typed as
     * {@code void *} here; 6.4 turned {@code io_thread}/{@code kthread}/... into bitfields),
     * {@code open_how} (uapi), {@code fs_struct}, {@code files_struct} with its embedded {@code fdtable},
     * {@code nsproxy}.
     */
    private static void process(StructLayouts.Builder b) {
        b.struct("kernel_clone_args", 128, 0)
                .member(0x00, "flags", "u64")
                .member(0x08, "pidfd", "int __user *")
                .member(0x10, "child_tid", "int __user *")
                .member(0x18, "parent_tid", "int __user *")
                .member(0x20, "exit_signal", "int")
                .member(0x28, "stack", "unsigned long")
                .member(0x30, "stack_size", "unsigned long")
                .member(0x38, "tls", "unsigned long")
                .member(0x40, "set_tid", "pid_t *")
                .member(0x48, "set_tid_size", "size_t")
                .member(0x50, "cgroup", "int")
                .member(0x54, "io_thread", "int")
                .member(0x58, "kthread", "int")
                .member(0x5c, "idle", "int")
                .member(0x60, "fn", "void *")
                .member(0x68, "fn_arg", "void *")
                .member(0x70, "cgrp", "struct cgroup *")
                .member(0x78, "cset", "struct css_set *");

        b.struct("open_how", 24, 0)
                .member(0x00, "flags", "__u64")
                .member(0x08, "mode", "__u64")
                .member(0x10, "resolve", "__u64");

        b.struct("fs_struct", 56, 0)
                .member(0x00, "users", "int")
                .member(0x04, "lock", "spinlock_t")
                .member(0x08, "seq", "seqcount_spinlock_t")
                .member(0x0c, "umask", "int")
                .member(0x10, "in_exec", "int")
                .member(0x18, "root", "struct path")
                .member(0x28, "pwd", "struct path");

        b.struct("files_struct", 704, 64)
                .member(0x00, "count", "atomic_t")
                .member(0x04, "resize_in_progress", "bool")
                // 0x08 resize_wait (wait_queue_head, 24)
                .member(0x20, "fdt", "struct fdtable __rcu *")
                .member(0x28, "fdtab", "struct fdtable")
                .member(0x80, "file_lock", "spinlock_t")
                .member(0x84, "next_fd", "unsigned int")
                .member(0x88, "close_on_exec_init", "unsigned long[1]")
                .member(0x90, "open_fds_init", "unsigned long[1]")
                .member(0x98, "full_fds_bits_init", "unsigned long[1]")
                .member(0xa0, "fd_array", "struct file __rcu *[64]");

        b.struct("fdtable", 56, 0)
                .member(0x00, "max_fds", "unsigned int")
                .member(0x08, "fd", "struct file __rcu **")
                .member(0x10, "close_on_exec", "unsigned long *")
                .member(0x18, "open_fds", "unsigned long *")
                .member(0x20, "full_fds_bits", "unsigned long *");
        // 0x28 rcu (callback_head, 16)

        b.struct("nsproxy", 72, 0)
                .member(0x00, "count", "atomic_t")
                .member(0x08, "uts_ns", "struct uts_namespace *")
                .member(0x10, "ipc_ns", "struct ipc_namespace *")
                .member(0x18, "mnt_ns", "struct mnt_namespace *")
                .member(0x20, "pid_ns_for_children", "struct pid_namespace *")
                .member(0x28, "net_ns", "struct net *")
                .member(0x30, "time_ns", "struct time_namespace *")
                .member(0x38, "time_ns_for_children", "struct time_namespace *")
                .member(0x40, "cgroup_ns", "struct cgroup_namespace *");
    }
}
