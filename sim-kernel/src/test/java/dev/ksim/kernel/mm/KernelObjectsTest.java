package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Maccess;
import dev.ksim.sdk.X86PtRegs;
import dev.ksim.sdk.linux.Cred;
import dev.ksim.sdk.linux.Dentry;
import dev.ksim.sdk.linux.File;
import dev.ksim.sdk.linux.Filename;
import dev.ksim.sdk.linux.Inode;
import dev.ksim.sdk.linux.KernelCloneArgs;
import dev.ksim.sdk.linux.LinuxBinprm;
import dev.ksim.sdk.linux.MmStruct;
import dev.ksim.sdk.linux.NoSuchMemberException;
import dev.ksim.sdk.linux.OpenHow;
import dev.ksim.sdk.linux.RequestQueue;
import dev.ksim.sdk.linux.TaskStruct;
import dev.ksim.sdk.spi.KernelBinding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KernelObjectsTest {
    private final KernelMemory mem = new KernelMemory(VirtualAddressLayout.X86_64);
    private final List<SlabError> slabErrors = new ArrayList<>();
    private final Slab slab = new Slab(mem, VirtualAddressLayout.X86_64_DIRECT_MAP, 256L << 20, slabErrors::add);
    private final StructLayouts layouts = StructLayouts.x86_64_v6();
    private final KernelObjects objs = new KernelObjects(slab, layouts);
    private final MemoryKernelServices kernel = new MemoryKernelServices(mem, layouts);
    private final KernelBinding.Scope scope = KernelBinding.bind(kernel);

    @AfterEach
    void unbind() {
        scope.close();
    }

    // ---------------------------------------------------------------- the HIDS execve monitor

    @Test
    void execveMonitorReadsFilenameArgvPidPpidUidComm() {
        long bash = objs.createTask(new TaskSpec(100, "bash").startTime(5_000));
        long cred = objs.createCred(CredSpec.of(1000, 1000));
        UserImage img = objs.createMm(List.of("ls", "-l", "/tmp"), List.of("PATH=/usr/bin", "HOME=/home/u"),
                "/usr/bin/ls");
        long child = objs.createTask(new TaskSpec(200, "bash").parent(bash).cred(cred).mm(img.mm()));
        long filename = objs.vfs().getname("/usr/bin/ls", 0x7ffd_0000_1000L);
        long file = objs.vfs().openFile("/usr/bin/ls");
        long bprm = objs.createBinprm(filename, file, img.mm(), cred, 3, 2, img.sp());
        kernel.current = child;

        X86PtRegs regs = new X86PtRegs();
        regs.di = bprm; // e.g. a kprobe on security_bprm_check(struct linux_binprm *bprm)
        LinuxBinprm b = new LinuxBinprm(regs.kernelArgument(0));
        TaskStruct cur = TaskStruct.current();
        assertEquals("/usr/bin/ls", b.filename());
        assertEquals("/usr/bin/ls", b.interp());
        assertEquals(3, b.argc());
        assertEquals(2, b.envc());
        assertEquals("ls", b.file().f_path().dentry().d_name().name());
        assertEquals(img.mm(), b.mm().addr);
        assertEquals(200, cur.pid());
        assertEquals(200, cur.tgid());
        assertEquals(100, cur.real_parent().tgid());
        assertEquals(1000, cur.cred().uid());
        assertEquals(1000, cur.real_cred().euid());
        assertEquals("bash", cur.comm());
        assertEquals(0, b.fdpath_ptr());
        assertEquals(-1, b.execfd());

        // argv lives in user memory: copy [arg_start, arg_end) as the kernel's get_cmdline() does.
        MmStruct mm = cur.mm_struct();
        int len = (int) (mm.arg_end() - mm.arg_start());
        byte[] args = new byte[len];
        assertEquals(0, objs.userMemory(mm.addr).copyFromUser(args, mm.arg_start(), len));
        assertEquals("ls\0-l\0/tmp\0", new String(args, StandardCharsets.UTF_8));
        byte[] env = new byte[(int) (mm.env_end() - mm.env_start())];
        objs.userMemory(mm.addr).copyFromUser(env, mm.env_start(), env.length);
        assertEquals("PATH=/usr/bin\0HOME=/home/u\0", new String(env, StandardCharsets.UTF_8));
        assertEquals("ls", mm.exe_file().f_path().dentry().d_name().name());
        assertEquals(img.sp(), mm.start_stack());
    }

    @Test
    void userStackHoldsArgcArgvEnvpAsExecveLeavesThem() {
        UserImage img = objs.createMm(List.of("a", "bb"), List.of("X=1"), "/bin/true");
        UserMemory um = img.memory();
        assertEquals(0, img.sp() & 15, "the stack pointer is 16-byte aligned");
        assertEquals(2, um.read(img.sp(), 8));
        byte[] s = new byte[16];
        assertEquals(2, um.strncpyFromUser(s, um.read(img.argv() + 8, 8), 16));
        assertEquals("bb", new String(s, 0, 2, StandardCharsets.US_ASCII));
        assertEquals(0, um.read(img.argv() + 16, 8), "argv[argc] == NULL");
        assertEquals(img.envp(), img.argv() + 24);
        assertEquals(img.envStart(), um.read(img.envp(), 8));
        assertEquals(0, um.read(img.envp() + 8, 8));
        assertEquals(9, um.strncpyFromUser(s, img.envEnd(), 16), "the executable path sits above the strings");
        assertEquals(VirtualAddressLayout.X86_64.userStackTop() - 8, img.envEnd() + "/bin/true".length() + 1);
        assertEquals(PageFault.Reason.USER_ADDRESS,
                assertThrows(PageFault.class, () -> mem.read64(img.argStart())).reason(),
                "the kernel cannot dereference user memory directly");
        assertThrows(IllegalArgumentException.class,
                () -> objs.createMm(List.of("x".repeat(200_000)), List.of(), null), "E2BIG");
    }

    // ---------------------------------------------------------------- tasks and creds

    @Test
    void taskStructFieldsAndLinks() {
        long init = objs.createTask(new TaskSpec(1, "systemd"));
        long kthread = objs.createTask(new TaskSpec(2, "kthreadd").parent(init).kernelThread());
        long t = objs.createTask(new TaskSpec(300, "a-very-long-process-name").parent(init).startTime(123));
        TaskStruct task = new TaskStruct(t);
        TaskStruct initTask = new TaskStruct(init);
        assertEquals("a-very-long-pro", task.comm(), "comm holds 15 bytes and a NUL");
        assertEquals(init, initTask.real_parent().addr, "init is its own parent");
        assertEquals(t, task.group_leader().addr);
        assertEquals(init, task.parent().addr);
        assertEquals(TaskStruct.TASK_RUNNING, task.__state());
        assertEquals(120, task.prio());
        assertEquals(123, task.start_time());
        assertEquals(17, task.exit_signal());
        assertEquals(-1, task.loginuid());
        assertEquals(0, task.stack() & 16383);
        assertEquals(16384, slab.ksize(task.stack()));
        assertEquals(0, task.mm());
        assertTrue(task.mm_struct().isNull());
        assertEquals(TaskStruct.PF_KTHREAD, new TaskStruct(kthread).flags() & TaskStruct.PF_KTHREAD);
        assertNotEquals(0, task.files());
        assertNotEquals(0, task.fs());
        assertEquals(initTask.nsproxy(), task.nsproxy(), "tasks share init_nsproxy");
        assertEquals(task.cred(), task.real_cred());
        assertEquals(0, task.cred().uid());
        assertEquals(KernelObjects.CAP_FULL_SET, task.cred().cap_effective());
        assertEquals(2, task.cred().usage(), "real_cred and cred each hold a reference");

        // fs->root and files->fdt are wired like the kernel's.
        StructRef fs = objs.ref("fs_struct", task.fs());
        assertEquals(objs.vfs().root(), fs.get("root.dentry"));
        StructRef files = objs.ref("files_struct", task.files());
        assertEquals(files.addrOf("fdtab"), files.get("fdt"));
        assertEquals(files.addrOf("fd_array"), objs.ref("fdtable", files.get("fdt")).get("fd"));

        // init's children list holds kthreadd then the new task, through their sibling entries.
        StructRef initRef = objs.ref("task_struct", init);
        long first = objs.ref("list_head", initRef.addrOf("children")).get("next");
        assertEquals(objs.ref("task_struct", t).addrOf("sibling"), first, "list_add inserts at the head");
        long second = objs.ref("list_head", first).get("next");
        assertEquals(objs.ref("task_struct", kthread).addrOf("sibling"), second);
        assertEquals(initRef.addrOf("children"), objs.ref("list_head", second).get("next"));
    }

    @Test
    void sharedCredCountsReferencesAndIdsAreKept() {
        long cred = objs.createCred(new CredSpec(1000, 100, 0, 0, 0, 100, 0, 100));
        long t1 = objs.createTask(new TaskSpec(10, "sudo").cred(cred));
        objs.createTask(new TaskSpec(11, "sudo").tgid(10).groupLeader(t1).cred(cred));
        Cred c = new Cred(cred);
        assertEquals(5, c.usage());
        assertEquals(1000, c.uid());
        assertEquals(0, c.euid(), "setuid: effective root");
        assertEquals(100, c.egid());
        assertEquals(KernelObjects.CAP_FULL_SET, c.cap_permitted());
        assertEquals(0, new Cred(objs.createCred(CredSpec.of(1000, 1000))).cap_effective());
    }

    @Test
    void threadGetsNoExitSignal() {
        long leader = objs.createTask(new TaskSpec(50, "java"));
        long thread = objs.createTask(new TaskSpec(51, "GC Thread").tgid(50).groupLeader(leader));
        TaskStruct t = new TaskStruct(thread);
        assertEquals(50, t.tgid());
        assertEquals(51, t.pid());
        assertEquals(leader, t.group_leader().addr);
        assertEquals(-1, t.exit_signal());
    }

    // ---------------------------------------------------------------- filename and the VFS

    @Test
    void doUnlinkatReadsNameThroughTheFilenamePointer() {
        long name = objs.vfs().getname("test1", 0x7ffc_1234_0000L);
        X86PtRegs regs = new X86PtRegs();
        regs.si = name; // do_unlinkat(int dfd, struct filename *name)
        Filename f = new Filename(regs.kernelArgument(1));
        assertEquals("test1", f.name());
        assertEquals(f.addr + 32, f.name_ptr(), "short names live in iname[]");
        assertEquals("test1", f.iname());
        assertEquals(0x7ffc_1234_0000L, f.uptr());
        assertEquals(1, f.refcnt());
        assertEquals(0, f.aname());
        assertEquals(4096, slab.ksize(name), "struct filename comes from names_cache");
        assertEquals("test1", Maccess.core_read(() -> f.name(), "?"));
    }

    @Test
    void longFilenamesGetASeparateStructAndPutnameFreesBoth() {
        String longPath = "/" + "d".repeat(4070);
        long name = objs.vfs().getname(longPath, 0);
        Filename f = new Filename(name);
        assertEquals(longPath, f.name());
        long buf = f.name_ptr();
        assertNotEquals(f.addr + 32, buf);
        objs.vfs().putname(name);
        assertEquals(0x6b6b_6b6bL, mem.read(buf, 4), "names_cache buffer freed and poisoned");
        PageFault uaf = assertThrows(PageFault.class, f::name, "the freed struct's name pointer is poison");
        assertEquals(PageFault.Reason.NON_CANONICAL, uaf.reason());
        assertEquals(0x6b6b_6b6b_6b6b_6b68L, uaf.address(), "the first aligned word of 0x6b6b...6b");
        assertThrows(IllegalArgumentException.class, () -> objs.vfs().getname("x".repeat(4096), 0));
        long shortName = objs.vfs().getname("/tmp/x", 0);
        objs.ref("filename", shortName).set("refcnt", 2);
        objs.vfs().putname(shortName);
        assertEquals("/tmp/x", new Filename(shortName).name(), "still referenced");
        objs.vfs().putname(shortName);
        assertEquals(0x6b6b_6b6b_6b6b_6b6bL, mem.read64(shortName), "freed with the last reference");
        assertTrue(slabErrors.isEmpty());
    }

    @Test
    void openedFileChainReachesTheRoot() {
        long file = objs.vfs().openFile("/usr/bin/../bin//ls", 2, new InodeSpec(InodeSpec.S_IFREG | 04755, 0, 0,
                142_144), 0);
        File f = new File(file);
        assertEquals(2, f.f_flags());
        assertEquals(File.FMODE_READ | File.FMODE_WRITE, f.f_mode() & 3, "O_RDWR opens for read and write");
        assertEquals(1, f.f_count());
        assertEquals(0, f.f_pos());
        assertEquals(objs.vfs().rootMount(), f.f_path().mnt());
        Inode inode = f.f_inode();
        assertEquals(inode, f.f_path().dentry().d_inode());
        assertTrue(Inode.S_ISREG(inode.i_mode()));
        assertEquals(04755, inode.i_mode() & 07777);
        assertEquals(142_144, inode.i_size());
        assertEquals(1, inode.i_nlink());

        Dentry ls = f.f_path().dentry();
        assertEquals("ls", ls.d_iname());
        assertEquals(2, ls.d_name().len());
        Dentry bin = ls.d_parent();
        Dentry usr = bin.d_parent();
        Dentry root = usr.d_parent();
        assertEquals("bin", bin.d_name().name());
        assertEquals("usr", usr.d_name().name());
        assertTrue(root.IS_ROOT());
        assertFalse(usr.IS_ROOT());
        assertEquals("/", root.d_name().name());
        assertTrue(Inode.S_ISDIR(root.d_inode().i_mode()));
        assertEquals(2, root.d_inode().i_ino());
        assertEquals(VfsObjects.EXT4_SUPER_MAGIC, objs.ref("super_block", ls.d_sb()).get("s_magic"));
        assertEquals(ls.d_sb(), inode.i_sb());

        File cat = new File(objs.vfs().openFile("/usr/bin/cat"));
        assertEquals(bin, cat.f_path().dentry().d_parent(), "the dcache shares /usr/bin");
        assertNotEquals(inode.i_ino(), cat.f_inode().i_ino());
        assertEquals(ls, new File(objs.vfs().openFile("/usr/bin/ls")).f_path().dentry(), "cached leaf");

        // bin's d_subdirs lists cat then ls through their d_child entries.
        StructRef binRef = objs.ref("dentry", bin.addr);
        long firstChild = objs.ref("list_head", binRef.addrOf("d_subdirs")).get("next");
        assertEquals(objs.ref("dentry", cat.f_path().dentry().addr).addrOf("d_child"), firstChild);
    }

    @Test
    void longDentryNamesAreStoredOutsideTheDentry() {
        String name = "a-file-name-longer-than-thirty-one-bytes.txt";
        Dentry d = new File(objs.vfs().openFile("/tmp/" + name)).f_path().dentry();
        assertEquals(name, d.d_name().name());
        assertEquals(name.length(), d.d_name().len());
        assertNotEquals(d.addrOf("d_iname"), d.d_name().name_ptr());
    }

    // ---------------------------------------------------------------- block, clone, open

    @Test
    void queueRaShowReadsRaPagesThroughBothSpellings() {
        BlockQueue bq = objs.createRequestQueue("sda", 8, 0, KernelObjects.VM_READAHEAD_PAGES);
        X86PtRegs regs = new X86PtRegs();
        regs.di = bq.queue(); // queue_ra_show(struct request_queue *q, char *page)
        RequestQueue q = new RequestQueue(regs.kernelArgument(0));
        assertEquals(32, q.backing_dev_info().ra_pages(), "4.11-5.14: q->backing_dev_info->ra_pages");
        assertEquals(32, q.disk().bdi().ra_pages(), "5.15+: q->disk->bdi->ra_pages");
        assertEquals(128, q.backing_dev_info().ra_pages() << (12 - 10), "read_ahead_kb");
        assertEquals("sda", q.disk().disk_name());
        assertEquals(q, q.disk().queue());
        assertEquals(8, q.disk().major());
        assertEquals("8:0", q.backing_dev_info().dev_name());
        assertEquals(32, q.backing_dev_info().io_pages());
        assertEquals(32, Maccess.bpf_core_read(bq.bdi(), "backing_dev_info", "ra_pages", 8));
    }

    @Test
    void kernelCloneArgsForForkAndClone() {
        KernelCloneArgs fork = new KernelCloneArgs(objs.createKernelCloneArgs(CloneArgs.fork()));
        assertEquals(0, fork.flags());
        assertEquals(17, fork.exit_signal());
        long flags = CloneArgs.CLONE_VM | CloneArgs.CLONE_FS | CloneArgs.CLONE_FILES | CloneArgs.CLONE_SIGHAND
                | CloneArgs.CLONE_THREAD | CloneArgs.CLONE_SETTLS;
        KernelCloneArgs thread = new KernelCloneArgs(objs.createKernelCloneArgs(
                CloneArgs.clone(flags, 0x7f00_0000_0000L, 0x7f00_0000_1000L, 0x7f00_0000_2000L, 0x7f00_0000_3000L)));
        assertEquals(flags, thread.flags());
        assertEquals(0, thread.exit_signal());
        assertEquals(0x7f00_0000_0000L, thread.stack());
        assertEquals(0x7f00_0000_3000L, thread.tls());
        assertEquals(0x7f00_0000_2000L, thread.child_tid());
        assertEquals(0x7f00_0000_1000L, thread.parent_tid());
        assertEquals(0, thread.pidfd());
        KernelCloneArgs vfork = new KernelCloneArgs(objs.createKernelCloneArgs(CloneArgs.vfork()));
        assertEquals(CloneArgs.CLONE_VFORK | CloneArgs.CLONE_VM, vfork.flags());
        assertEquals(0, vfork.set_tid());

        long task = objs.createTask(new TaskSpec(7, "sh"));
        long onStack = new TaskStruct(task).stack() + 16384 - 256;
        objs.initKernelCloneArgs(onStack, CloneArgs.fork());
        assertEquals(17, new KernelCloneArgs(onStack).exit_signal(), "can live on a kernel stack");
    }

    @Test
    void openHow() {
        OpenHow how = new OpenHow(objs.createOpenHow(0100 | 02, 0644, 0x08));
        assertEquals(0102, how.flags());
        assertEquals(0644, how.mode());
        assertEquals(0x08, how.resolve());
    }

    // ---------------------------------------------------------------- faults and safe reads

    @Test
    void nullViewsFaultLikeCAndCoreReadFallsBack() {
        TaskStruct nobody = new TaskStruct(0);
        assertTrue(nobody.isNull());
        PageFault f = assertThrows(PageFault.class, nobody::pid);
        assertEquals(PageFault.Reason.NULL_POINTER, f.reason());
        assertEquals(layouts.offsetof("task_struct", "pid"), f.address(), "faults at NULL + offsetof(pid)");
        assertEquals(-1, Maccess.core_read_int(() -> nobody.real_parent().tgid(), -1));
        long kthread = objs.createTask(new TaskSpec(2, "kthreadd").kernelThread());
        assertEquals(-7L, Maccess.core_read_long(() -> new TaskStruct(kthread).mm_struct().arg_start(), -7L));
        assertEquals("none", Maccess.core_read(() -> new TaskStruct(kthread).mm_struct().exe_file()
                .f_path().dentry().d_name().name(), "none"));
        assertEquals(0x0bad, Maccess.core_read_int(() -> new TaskStruct(0xffff_8880_dead_0000L).pid(), 0x0bad),
                "unmapped");
    }

    @Test
    void useAfterFreeReadsPoison() {
        long cred = objs.createCred(CredSpec.of(1000, 1000));
        slab.cache("cred_jar").free(cred);
        assertEquals(0x6b6b_6b6b, new Cred(cred).uid(), "a stale pointer reads POISON_FREE, it does not fault");
    }

    @Test
    void nofaultHelpersOnRealMemory() {
        long name = objs.vfs().getname("/etc/passwd", 0);
        long str = new Filename(name).name_ptr();
        byte[] buf = new byte[64];
        assertEquals(12, Maccess.strncpy_from_kernel_nofault(buf, str, 64));
        assertEquals("/etc/passwd", Maccess.kernel_string_nofault(str, 64));
        assertEquals("/etc", Maccess.kernel_string_nofault(str, 5));
        assertEquals(null, Maccess.kernel_string_nofault(0xffff_8880_dead_0000L, 64));
        assertEquals(-Errno.ERANGE, Maccess.bpf_probe_read_kernel_str(buf, 64, 0));
        assertArrayEquals(new byte[64], buf, "BPF helpers zero the buffer on error");
        assertEquals(12, Maccess.bpf_probe_read_kernel_str(buf, 64, str));
        assertEquals(str, Maccess.read_kernel_nofault(name, 8).value());
        assertEquals(-Errno.EFAULT, Maccess.read_kernel_nofault(0xffff_8880_dead_0000L, 8).err());
        long[] v = {42};
        assertEquals(-Errno.ERANGE, Maccess.get_kernel_nofault(v, 16, 4));
        assertEquals(42, v[0]);
        assertTrue(Maccess.bpf_core_field_exists("file", "f_path.dentry"));
        assertFalse(Maccess.bpf_core_field_exists("task_struct", "state"), "renamed to __state in 5.14");
    }

    @Test
    void viewsArePortableAcrossLayoutProfiles() {
        // A made-up profile where request_queue has no backing_dev_info (as in 5.15+) and offsets differ.
        StructLayouts other = StructLayouts.builder("other")
                .struct("request_queue", 64, 0).member(0x30, "disk", "struct gendisk *")
                .struct("gendisk", 64, 0).member(0x08, "bdi", "struct backing_dev_info *")
                .member(0x10, "disk_name", "char[32]")
                .struct("backing_dev_info", 64, 0).member(0x00, "ra_pages", "unsigned long")
                .build();
        assertEquals(List.of(), other.check());
        long q = slab.kzalloc(64);
        long disk = slab.kzalloc(64);
        long bdi = slab.kzalloc(64);
        new StructRef(mem, other, "request_queue", q).set("disk", disk);
        new StructRef(mem, other, "gendisk", disk).set("bdi", bdi).setChars("disk_name", "nvme0n1");
        new StructRef(mem, other, "backing_dev_info", bdi).set("ra_pages", 64);
        KernelBinding.Scope otherKernel = KernelBinding.bind(new MemoryKernelServices(mem, other));
        try {
            RequestQueue rq = new RequestQueue(q);
            assertEquals(64, rq.disk().bdi().ra_pages());
            assertEquals("nvme0n1", rq.disk().disk_name());
            assertThrows(NoSuchMemberException.class, rq::backing_dev_info);
            assertEquals(-1L, Maccess.core_read_long(() -> rq.backing_dev_info().ra_pages(), -1L));
        } finally {
            otherKernel.close();
        }
    }

    @Test
    void structRefRejectsWrongKindsOfMembers() {
        StructRef t = objs.ref("task_struct", objs.createTask(new TaskSpec(9, "x")));
        assertThrows(IllegalArgumentException.class, () -> t.get("comm"), "an array is not a scalar");
        assertThrows(IllegalArgumentException.class, () -> t.get("tasks"), "an embedded struct is not a scalar");
        assertThrows(IllegalArgumentException.class, () -> t.setChars("pid", "x"));
        assertThrows(IllegalArgumentException.class, () -> t.at("pid"));
        assertThrows(IllegalArgumentException.class, () -> t.deref("stack"), "void * has no pointee");
        assertThrows(IllegalArgumentException.class, () -> t.get("nope"));
        assertEquals(9, t.deref("real_parent").get("pid"));
        assertThrows(IllegalArgumentException.class, () -> new StructRef(mem, layouts, "nope", 0));
    }
}
