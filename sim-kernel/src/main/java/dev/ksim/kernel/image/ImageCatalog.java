package dev.ksim.kernel.image;

import static dev.ksim.kernel.text.FnAttr.ALTERNATIVE;
import static dev.ksim.kernel.text.FnAttr.BUG_SITE;
import static dev.ksim.kernel.text.FnAttr.ENTRY_TEXT;
import static dev.ksim.kernel.text.FnAttr.EXCLUSIVE_INSN;
import static dev.ksim.kernel.text.FnAttr.EXTABLE;
import static dev.ksim.kernel.text.FnAttr.GLOBAL;
import static dev.ksim.kernel.text.FnAttr.IRQ_SAVE;
import static dev.ksim.kernel.text.FnAttr.JUMP_LABEL;
import static dev.ksim.kernel.text.FnAttr.KPROBES_TEXT;
import static dev.ksim.kernel.text.FnAttr.NOINSTR;
import static dev.ksim.kernel.text.FnAttr.NOKPROBE;
import static dev.ksim.kernel.text.FnAttr.NORETURN;
import static dev.ksim.kernel.text.FnAttr.UNSUPPORTED_INSN;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.FunctionDef;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions of the simulated kernel image (a 6.8 kernel, {@code CONFIG_PREEMPT_DYNAMIC},
 * {@code CONFIG_KPROBES}, frame pointers, no ftrace fentry sites), with their real names, arity and
 * call chains, in link order. Syscall entry points are named per architecture ({@code __x64_sys_*} /
 * {@code __arm64_sys_*}); the rest is shared.
 */
public final class ImageCatalog {
    private final Arch arch;
    private final List<FunctionDef> defs = new ArrayList<>();

    private ImageCatalog(Arch arch) {
        this.arch = arch;
    }

    /**
     * @param arch the architecture
     * @return the image's functions in link order
     */
    public static List<FunctionDef> functions(Arch arch) {
        return functions(arch, dev.ksim.kernel.KernelProfile.current());
    }

    /**
     * @param arch the architecture
     * @param profile the kernel version: functions are renamed, and absent ones left out, as there
     * @return the image's functions in link order
     */
    public static List<FunctionDef> functions(Arch arch, dev.ksim.kernel.KernelProfile profile) {
        ImageCatalog c = new ImageCatalog(arch);
        c.build();
        List<FunctionDef> out = new ArrayList<>();
        FunctionDef openat2 = null;
        for (FunctionDef d : c.defs) {
            if (d.name().equals("do_sys_openat2")) {
                openat2 = d;
            }
        }
        for (FunctionDef d : c.defs) {
            boolean absent = profile == dev.ksim.kernel.KernelProfile.V4_14 && d.name().equals("do_sys_openat2");
            if (absent) {
                continue; // 4.14's do_sys_open does what do_sys_openat2 does since 5.6
            }
            List<String> callees = d.callees();
            if (profile == dev.ksim.kernel.KernelProfile.V4_14 && d.name().equals("do_sys_open")) {
                callees = openat2.callees();
            }
            List<String> renamed = new ArrayList<>();
            for (String callee : callees) {
                renamed.add(profile.symbol(arch, callee));
            }
            out.add(new FunctionDef(profile.symbol(arch, d.name()), d.nargs(), renamed, d.frameSize(), d.attrs()));
        }
        return List.copyOf(out);
    }

    /** @return the image's data symbols (name → size) */
    public static Map<String, Integer> data() {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put("linux_banner", 128);
        d.put("jiffies_64", 8);
        d.put("jiffies", 8);
        d.put("init_task", 0x2700);
        d.put("init_mm", 0x480);
        d.put("nr_cpu_ids", 4);
        d.put("panic_on_warn", 4);
        d.put("panic_on_oops", 4);
        d.put("system_state", 4);
        d.put("kprobe_table", 64 * 8);
        d.put("kprobes_all_disarmed", 1);
        d.put("kprobe_blacklist", 16);
        d.put("__bss_start", 0);
        return d;
    }

    /** @param name a syscall's base name @return its entry point's symbol on this architecture */
    public static String syscall(Arch arch, String name) {
        return (arch == Arch.X86_64 ? "__x64_sys_" : "__arm64_sys_") + name;
    }

    private String sys(String name) {
        return syscall(arch, name);
    }

    private void fn(String name, int nargs, int frame, List<String> callees, FnAttr... attrs) {
        EnumSet<FnAttr> a = EnumSet.noneOf(FnAttr.class);
        a.addAll(List.of(attrs));
        defs.add(new FunctionDef(name, nargs, callees, frame, a));
    }

    private static List<String> calls(String... names) {
        return List.of(names);
    }

    private void build() {
        boolean x86 = arch == Arch.X86_64;
        // ---- head and entry text
        if (x86) {
            fn("startup_64", 0, 0, calls(), GLOBAL, NOKPROBE);
            fn("entry_SYSCALL_64", 0, 0, calls("do_syscall_64"), GLOBAL, ENTRY_TEXT);
            fn("asm_exc_int3", 0, 0, calls("exc_int3"), GLOBAL, ENTRY_TEXT);
            fn("asm_exc_page_fault", 0, 0, calls("exc_page_fault"), GLOBAL, ENTRY_TEXT);
            fn("asm_sysvec_apic_timer_interrupt", 0, 0, calls("sysvec_apic_timer_interrupt"), GLOBAL, ENTRY_TEXT);
            fn("__switch_to_asm", 2, 0, calls("__switch_to"), GLOBAL, ENTRY_TEXT);
            fn("ret_from_fork_asm", 0, 0, calls("ret_from_fork"), GLOBAL, ENTRY_TEXT);
        } else {
            fn("primary_entry", 0, 0, calls(), GLOBAL, NOKPROBE);
            fn("el0t_64_sync", 0, 0, calls("el0t_64_sync_handler"), ENTRY_TEXT);
            fn("el1h_64_sync", 0, 0, calls("el1h_64_sync_handler"), ENTRY_TEXT);
            fn("el1h_64_irq", 0, 0, calls("el1_interrupt"), ENTRY_TEXT);
            fn("cpu_switch_to", 2, 0, calls(), GLOBAL, ENTRY_TEXT);
            fn("ret_from_fork", 0, 0, calls("schedule_tail"), GLOBAL, ENTRY_TEXT);
        }
        // ---- noinstr entry C code
        if (x86) {
            fn("do_syscall_64", 2, 0x10, syscallTable(), GLOBAL, NOINSTR);
            fn("exc_int3", 1, 0, calls("kprobe_int3_handler"), GLOBAL, NOINSTR);
            fn("exc_page_fault", 2, 0x10, calls("handle_mm_fault"), GLOBAL, NOINSTR);
            fn("sysvec_apic_timer_interrupt", 1, 0, calls("hrtimer_interrupt"), GLOBAL, NOINSTR);
        } else {
            fn("el0t_64_sync_handler", 1, 0, calls("el0_svc"), GLOBAL, NOINSTR);
            fn("el0_svc", 1, 0, calls("invoke_syscall"), NOINSTR);
            fn("el1h_64_sync_handler", 1, 0, calls("el1_dbg", "el1_abort"), GLOBAL, NOINSTR);
            fn("el1_dbg", 2, 0, calls("kprobe_breakpoint_handler"), NOINSTR);
            fn("el1_abort", 2, 0, calls("do_mem_abort"), NOINSTR);
            fn("el1_interrupt", 2, 0, calls("hrtimer_interrupt"), NOINSTR);
            fn("invoke_syscall", 4, 0x10, syscallTable(), NOKPROBE);
            fn("do_mem_abort", 3, 0, calls("do_page_fault"), GLOBAL, NOKPROBE);
            fn("do_page_fault", 3, 0x20, calls("handle_mm_fault"), NOKPROBE);
        }
        // ---- syscalls
        fn(sys("clone"), 1, 0x58, calls("kernel_clone"), GLOBAL);
        fn(sys("fork"), 1, 0x58, calls("kernel_clone"), GLOBAL);
        fn(sys("execve"), 1, 0, calls("getname", "do_execveat_common.isra.0"), GLOBAL);
        fn(sys("exit_group"), 1, 0, calls("do_group_exit"), GLOBAL);
        fn(sys("wait4"), 1, 0x10, calls("kernel_wait4"), GLOBAL);
        fn(sys("openat"), 1, 0, calls("do_sys_open"), GLOBAL);
        fn(sys("read"), 1, 0, calls("ksys_read"), GLOBAL);
        fn(sys("write"), 1, 0, calls("ksys_write"), GLOBAL);
        fn(sys("close"), 1, 0, calls("close_fd"), GLOBAL);
        fn(sys("unlinkat"), 1, 0, calls("getname", "do_rmdir", "do_unlinkat"), GLOBAL);
        fn(sys("mkdirat"), 1, 0, calls("getname", "do_mkdirat"), GLOBAL);
        fn(sys("renameat2"), 1, 0, calls("getname", "getname", "do_renameat2"), GLOBAL);
        fn(sys("getdents64"), 1, 0, calls("iterate_dir"), GLOBAL);
        fn(sys("nanosleep"), 1, 0x10, calls("hrtimer_nanosleep"), GLOBAL);
        fn(sys("sched_yield"), 1, 0, calls("do_sched_yield"), GLOBAL);
        fn(sys("finit_module"), 1, 0, calls("load_module"), GLOBAL);
        fn(sys("delete_module"), 1, 0x10, calls("free_module"), GLOBAL);
        // ---- process lifecycle (kernel/fork.c, fs/exec.c, kernel/exit.c)
        fn("kernel_clone", 1, 0x30, calls("copy_process", "wake_up_new_task"), GLOBAL);
        fn("copy_process", 4, 0x60, calls("dup_task_struct", "copy_creds", "copy_files", "copy_mm", "sched_fork",
                "alloc_pid"));
        fn("dup_task_struct", 2, 0x10, calls("kmem_cache_alloc_node", "alloc_thread_stack_node"));
        fn("alloc_thread_stack_node", 2, 0, calls("__vmalloc_node_range"));
        fn("copy_creds", 2, 0, calls("prepare_creds"), GLOBAL);
        fn("prepare_creds", 0, 0, calls("kmem_cache_alloc"), GLOBAL);
        fn("copy_files", 3, 0, calls("dup_fd"));
        fn("dup_fd", 2, 0x10, calls("kmem_cache_alloc"), GLOBAL);
        fn("copy_mm", 2, 0, calls("dup_mm.constprop.0"));
        fn("dup_mm.constprop.0", 2, 0x10, calls("kmem_cache_alloc"));
        fn("sched_fork", 2, 0, calls(), GLOBAL);
        fn("alloc_pid", 3, 0x20, calls("kmem_cache_alloc"), GLOBAL);
        fn("wake_up_new_task", 1, 0x10, calls("select_task_rq_fair", "activate_task"), GLOBAL);
        fn("kernel_thread", 3, 0x58, calls("kernel_clone"), GLOBAL);
        if (x86) {
            fn("ret_from_fork", 3, 0, calls("schedule_tail"), GLOBAL);
        }
        fn("schedule_tail", 1, 0, calls("finish_task_switch.isra.0"), GLOBAL);
        fn("getname", 1, 0, calls("getname_flags"), GLOBAL);
        fn("getname_flags", 3, 0x10, calls("kmem_cache_alloc", "strncpy_from_user"), GLOBAL);
        fn("putname", 1, 0, calls("kmem_cache_free"), GLOBAL);
        fn("do_execveat_common.isra.0", 5, 0x28, calls("alloc_bprm", "copy_string_kernel", "copy_strings", "copy_strings",
                "bprm_execve", "free_bprm", "putname"));
        fn("alloc_bprm", 3, 0x10, calls("kmalloc_trace"));
        fn("free_bprm", 1, 0, calls("kfree"));
        fn("copy_string_kernel", 2, 0, calls(), GLOBAL);
        fn("copy_strings", 3, 0x30, calls("strncpy_from_user"));
        fn("bprm_execve", 4, 0x10, calls("do_open_execat", "sched_exec", "exec_binprm"));
        fn("do_open_execat", 3, 0x20, calls("do_filp_open"));
        fn("sched_exec", 0, 0, calls(), GLOBAL);
        fn("exec_binprm", 1, 0, calls("search_binary_handler"));
        fn("search_binary_handler", 1, 0, calls("security_bprm_check", "load_elf_binary"), GLOBAL);
        fn("security_bprm_check", 1, 0, calls(), GLOBAL, JUMP_LABEL);
        fn("load_elf_binary", 1, 0x78, calls("begin_new_exec", "setup_new_exec", "start_thread"));
        fn("begin_new_exec", 1, 0x10, calls("__set_task_comm"), GLOBAL);
        fn("__set_task_comm", 3, 0, calls(), GLOBAL);
        fn("setup_new_exec", 1, 0, calls(), GLOBAL);
        fn("start_thread", 3, 0, calls(), GLOBAL);
        fn("do_group_exit", 1, 0, calls("do_exit"), GLOBAL);
        fn("do_exit", 1, 0x20, calls("exit_mm", "exit_files", "exit_notify", "do_task_dead"), GLOBAL, NORETURN);
        fn("exit_mm", 0, 0x10, calls("mmput"));
        fn("mmput", 1, 0, calls(), GLOBAL);
        fn("exit_files", 1, 0, calls("put_files_struct"), GLOBAL);
        fn("put_files_struct", 1, 0, calls("filp_close"));
        fn("exit_notify", 2, 0x10, calls("do_notify_parent"));
        fn("do_notify_parent", 2, 0x40, calls(), GLOBAL);
        fn("do_task_dead", 0, 0, calls("__schedule"), GLOBAL, NORETURN);
        fn("kernel_wait4", 4, 0x40, calls("do_wait"), GLOBAL);
        fn("do_wait", 1, 0x10, calls("release_task"));
        fn("release_task", 1, 0x10, calls("__put_task_struct"), GLOBAL);
        fn("__put_task_struct", 1, 0, calls("kmem_cache_free"), GLOBAL, BUG_SITE);
        // ---- files (fs/open.c, fs/read_write.c, fs/namei.c)
        fn("do_sys_open", 4, 0x18, calls("do_sys_openat2"));
        fn("do_sys_openat2", 3, 0x10, calls("getname", "get_unused_fd_flags", "do_filp_open", "fd_install", "putname"));
        fn("get_unused_fd_flags", 1, 0, calls(), GLOBAL);
        fn("do_filp_open", 3, 0x78, calls("path_openat"), GLOBAL);
        fn("path_openat", 3, 0x10, calls("alloc_empty_file", "link_path_walk.part.0", "do_open"));
        fn("alloc_empty_file", 2, 0, calls("kmem_cache_alloc"), GLOBAL);
        fn("link_path_walk.part.0", 2, 0x30, calls());
        fn("do_open", 3, 0x10, calls("may_open", "vfs_open"));
        fn("may_open", 3, 0, calls("security_file_open"));
        fn("security_file_open", 1, 0, calls(), GLOBAL, JUMP_LABEL);
        fn("vfs_open", 2, 0, calls("do_dentry_open"), GLOBAL);
        fn("do_dentry_open", 3, 0x10, calls());
        fn("fd_install", 2, 0, calls(), GLOBAL);
        fn("close_fd", 1, 0, calls("filp_close"), GLOBAL);
        fn("filp_close", 2, 0, calls("fput"), GLOBAL);
        fn("fput", 1, 0, calls(), GLOBAL);
        fn("ksys_read", 3, 0x10, calls("vfs_read"), GLOBAL);
        fn("vfs_read", 4, 0x28, calls("rw_verify_area", "seq_read_iter"), GLOBAL);
        fn("rw_verify_area", 4, 0, calls(), GLOBAL);
        fn("seq_read_iter", 2, 0x18, calls("sysfs_kf_seq_show"), GLOBAL);
        fn("sysfs_kf_seq_show", 2, 0, calls("queue_attr_show"));
        fn("queue_attr_show", 3, 0, calls("queue_ra_show"));
        fn("queue_ra_show", 2, 0, calls("queue_var_show"));
        fn("queue_var_show", 2, 0, calls("sprintf"));
        fn("sprintf", 3, 0x48, calls(), GLOBAL);
        fn("ksys_write", 3, 0x10, calls("vfs_write"), GLOBAL);
        fn("vfs_write", 4, 0x28, calls("rw_verify_area"), GLOBAL);
        fn("do_unlinkat", 2, 0x38, calls("filename_parentat", "vfs_unlink", "putname"));
        fn("do_rmdir", 2, 0x38, calls("filename_parentat", "vfs_rmdir", "putname"));
        fn("filename_parentat", 4, 0x10, calls());
        fn("vfs_unlink", 4, 0x10, calls("security_path_unlink"), GLOBAL);
        fn("vfs_rmdir", 3, 0, calls(), GLOBAL);
        fn("security_path_unlink", 2, 0, calls(), GLOBAL, JUMP_LABEL);
        fn("do_mkdirat", 3, 0x38, calls("filename_create", "vfs_mkdir", "putname"));
        fn("filename_create", 4, 0x10, calls());
        fn("vfs_mkdir", 4, 0, calls(), GLOBAL);
        fn("do_renameat2", 5, 0x60, calls("vfs_rename", "putname", "putname"));
        fn("vfs_rename", 1, 0x40, calls(), GLOBAL);
        fn("iterate_dir", 2, 0x10, calls(), GLOBAL);
        fn("_copy_from_user", 3, 0, calls(), GLOBAL, ALTERNATIVE, EXTABLE);
        fn("_copy_to_user", 3, 0, calls(), GLOBAL, ALTERNATIVE, EXTABLE);
        fn("strncpy_from_user", 3, 0, calls(), GLOBAL, ALTERNATIVE, EXTABLE);
        // ---- scheduling (kernel/sched)
        fn("schedule", 0, 0, calls("__schedule"), GLOBAL);
        fn("__schedule", 1, 0x38, calls("pick_next_task_fair", x86 ? "__switch_to_asm" : "__switch_to",
                "finish_task_switch.isra.0"), JUMP_LABEL);
        fn("pick_next_task_fair", 3, 0x20, calls("update_curr"));
        fn("update_curr", 1, 0x10, calls());
        fn("__switch_to", 2, 0x10, x86 ? calls() : calls("cpu_switch_to"), GLOBAL);
        fn("finish_task_switch.isra.0", 1, 0x10, calls());
        fn("select_task_rq_fair", 3, 0x30, calls());
        fn("activate_task", 3, 0, calls(), GLOBAL);
        fn("do_sched_yield", 0, 0x10, calls("schedule"));
        fn("__cond_resched", 0, 0, calls("__schedule"), GLOBAL);
        fn("__might_sleep", 2, 0, calls("__might_resched"), GLOBAL);
        fn("__might_resched", 3, 0x10, calls("dump_stack"), GLOBAL);
        fn("msleep", 1, 0x10, calls("__might_sleep", "schedule_timeout"), GLOBAL);
        fn("usleep_range_state", 3, 0x50, calls("__might_sleep", "schedule_hrtimeout_range"), GLOBAL);
        fn("schedule_timeout", 1, 0x40, calls("schedule"), GLOBAL);
        fn("schedule_hrtimeout_range", 3, 0, calls("schedule"), GLOBAL);
        fn("hrtimer_nanosleep", 3, 0x50, calls("do_nanosleep"), GLOBAL);
        fn("do_nanosleep", 2, 0x10, calls("schedule"));
        fn("hrtimer_interrupt", 1, 0x30, calls("__hrtimer_run_queues"), GLOBAL);
        fn("__hrtimer_run_queues", 4, 0x28, calls("tick_sched_timer"));
        fn("tick_sched_timer", 1, 0x10, calls("update_process_times"));
        fn("update_process_times", 1, 0x10, calls("scheduler_tick"), GLOBAL);
        fn("scheduler_tick", 0, 0x10, calls(), GLOBAL);
        // ---- memory (mm/slub.c, mm/memory.c)
        fn("__kmalloc", 2, 0x10, calls(), GLOBAL);
        fn("kmalloc_trace", 3, 0, calls(), GLOBAL);
        fn("kfree", 1, 0x10, calls(), GLOBAL);
        fn("kmem_cache_alloc", 2, 0x10, calls(), GLOBAL);
        fn("kmem_cache_alloc_node", 3, 0x10, calls(), GLOBAL);
        fn("kmem_cache_free", 2, 0x10, calls(), GLOBAL, JUMP_LABEL);
        fn("__vmalloc_node_range", 6, 0x40, calls(), GLOBAL);
        fn("handle_mm_fault", 4, 0x10, calls("__handle_mm_fault"), GLOBAL);
        fn("__handle_mm_fault", 3, 0x78, calls("handle_pte_fault"));
        fn("handle_pte_fault", 1, 0x10, calls("do_anonymous_page"));
        fn("do_anonymous_page", 1, 0x10, calls());
        if (x86) {
            fn("do_user_addr_fault", 3, 0x20, calls("handle_mm_fault"), NOKPROBE);
            fn("do_user_addr_fault.cold", 0, 0, calls());
        } else {
            fn("do_page_fault.cold", 0, 0, calls());
        }
        // ---- notifier chains (kernel/notifier.c)
        fn("notifier_call_chain", 4, 0x10, calls(), NOKPROBE);
        fn("atomic_notifier_call_chain", 3, 0, calls("notifier_call_chain"), GLOBAL, NOKPROBE);
        fn("blocking_notifier_call_chain", 3, 0, calls("notifier_call_chain"), GLOBAL);
        fn("notify_die", 4, 0x40, calls("atomic_notifier_call_chain"), GLOBAL, NOKPROBE);
        // ---- printk (kernel/printk)
        fn("_printk", 2, 0x50, calls("vprintk"), GLOBAL);
        fn("vprintk", 2, 0, calls("vprintk_default"), GLOBAL);
        fn("vprintk_default", 2, 0, calls("vprintk_emit"), GLOBAL);
        fn("vprintk_emit", 5, 0x10, calls("vprintk_store", "console_unlock"), GLOBAL);
        fn("vprintk_store", 6, 0x48, calls());
        fn("console_unlock", 0, 0x10, calls(), GLOBAL);
        fn("dump_stack_lvl", 1, 0, calls("show_stack"), GLOBAL);
        fn("dump_stack", 0, 0, calls("dump_stack_lvl"), GLOBAL);
        fn("show_stack", 2, 0, calls(), GLOBAL);
        // ---- locking
        fn("_raw_spin_lock_irqsave", 1, 0, calls(), GLOBAL, IRQ_SAVE);
        fn("_raw_spin_unlock_irqrestore", 2, 0, calls(), GLOBAL, IRQ_SAVE);
        fn("mutex_lock", 1, 0, calls("__mutex_lock.constprop.0"), GLOBAL);
        fn("__mutex_lock.constprop.0", 1, 0x40, calls("schedule"));
        fn("mutex_unlock", 1, 0, calls(), GLOBAL);
        fn("queued_spin_lock_slowpath", 2, 0, calls(), GLOBAL, EXCLUSIVE_INSN);
        // ---- modules (kernel/module)
        fn("load_module", 3, 0x78, calls("do_init_module"));
        fn("do_init_module", 1, 0x10, calls("do_one_initcall"));
        fn("do_one_initcall", 1, 0x78, calls(), GLOBAL);
        fn("free_module", 1, 0x10, calls());
        // ---- debugging
        fn("kgdb_breakpoint", 0, 0, calls(), GLOBAL, UNSUPPORTED_INSN);
        fn("__warn", 6, 0x30, calls("dump_stack_lvl"), GLOBAL);
        fn("die", 3, 0x10, calls("notify_die"), GLOBAL, NOKPROBE);
        // ---- kprobes itself (kernel/kprobes.c, arch probes code)
        fn("get_kprobe", 1, 0, calls(), GLOBAL, NOKPROBE);
        fn("register_kprobe", 1, 0x28, calls("get_kprobe"), GLOBAL);
        fn("unregister_kprobe", 1, 0x10, calls("unregister_kprobes"), GLOBAL);
        fn("register_kprobes", 2, 0, calls("register_kprobe"), GLOBAL);
        fn("unregister_kprobes", 2, 0x10, calls(), GLOBAL);
        fn("enable_kprobe", 1, 0, calls("get_kprobe"), GLOBAL);
        fn("disable_kprobe", 1, 0, calls("get_kprobe"), GLOBAL);
        fn("register_kretprobe", 1, 0x10, calls("register_kprobe"), GLOBAL);
        fn("unregister_kretprobe", 1, 0x10, calls("unregister_kprobes"), GLOBAL);
        fn("aggr_pre_handler", 2, 0, calls(), NOKPROBE);
        fn("aggr_post_handler", 3, 0, calls(), NOKPROBE);
        fn("kprobes_inc_nmissed_count", 1, 0, calls(), GLOBAL, NOKPROBE);
        fn("pre_handler_kretprobe", 2, 0x10, calls(), NOKPROBE);
        fn("kretprobe_trampoline_handler", 2, 0x10, calls(), GLOBAL, NOKPROBE);
        fn("__kretprobe_trampoline", 0, 0, calls("kretprobe_trampoline_handler"), GLOBAL, KPROBES_TEXT);
        fn("dump_kprobe", 1, 0, calls(), GLOBAL, NOKPROBE);
        if (x86) {
            fn("kprobe_int3_handler", 1, 0x10, calls("get_kprobe", "setup_singlestep", "kprobe_post_process"), GLOBAL,
                    NOKPROBE);
            fn("setup_singlestep", 4, 0, calls(), NOKPROBE);
            fn("kprobe_post_process", 3, 0, calls(), NOKPROBE);
            fn("resume_singlestep", 3, 0, calls(), NOKPROBE);
            fn("reenter_kprobe", 3, 0, calls("dump_kprobe"), NOKPROBE);
        } else {
            fn("kprobe_breakpoint_handler", 2, 0x10, calls("get_kprobe", "setup_singlestep", "post_kprobe_handler"),
                    NOKPROBE);
            fn("kprobe_breakpoint_ss_handler", 2, 0, calls("post_kprobe_handler"), NOKPROBE);
            fn("setup_singlestep", 4, 0, calls(), NOKPROBE);
            fn("post_kprobe_handler", 3, 0, calls(), NOKPROBE);
            fn("reenter_kprobe", 3, 0, calls("dump_kprobe"), NOKPROBE);
        }
    }

    private List<String> syscallTable() {
        List<String> s = new ArrayList<>();
        for (String n : List.of("clone", "fork", "execve", "exit_group", "wait4", "openat", "read", "write", "close",
                "unlinkat", "mkdirat", "renameat2", "getdents64", "nanosleep", "sched_yield", "finit_module",
                "delete_module")) {
            s.add(sys(n));
        }
        return s;
    }
}
