package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructLayoutsTest {
    private final StructLayouts x86 = StructLayouts.x86_64_v6();

    @Test
    void shippedProfilesAreConsistent() {
        assertEquals(List.of(), x86.check(), x86.profile());
        assertEquals(List.of(), StructLayouts.arm64_v6().check());
    }

    @Test
    void everyRequiredStructureAndMemberIsPresent() {
        String[][] required = {
            {"task_struct", "pid", "tgid", "comm", "mm", "active_mm", "cred", "real_cred", "real_parent", "parent",
                "flags", "__state", "stack", "group_leader", "thread_pid", "start_time", "files", "fs", "nsproxy"},
            {"cred", "usage", "uid", "gid", "suid", "sgid", "euid", "egid", "fsuid", "fsgid"},
            {"mm_struct", "arg_start", "arg_end", "env_start", "env_end", "exe_file"},
            {"filename", "name", "uptr", "refcnt", "aname", "iname"},
            {"linux_binprm", "mm", "p", "file", "cred", "argc", "envc", "filename", "interp", "fdpath"},
            {"file", "f_path", "f_inode", "f_flags", "f_mode", "f_pos", "f_op"},
            {"path", "mnt", "dentry"},
            {"dentry", "d_parent", "d_name", "d_inode", "d_iname"},
            {"qstr", "hash", "len", "name"},
            {"inode", "i_mode", "i_uid", "i_gid", "i_ino", "i_size", "i_sb"},
            {"request_queue", "backing_dev_info", "disk"},
            {"backing_dev_info", "ra_pages", "io_pages"},
            {"gendisk", "queue", "bdi", "disk_name"},
            {"kernel_clone_args", "flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack", "stack_size",
                "tls"},
            {"open_how", "flags", "mode", "resolve"},
        };
        for (String[] s : required) {
            for (int i = 1; i < s.length; i++) {
                assertTrue(x86.offsetof(s[0], s[i]) >= 0, s[0] + "." + s[i]);
            }
        }
    }

    @Test
    void wellKnownOffsetsAndSizes() {
        assertEquals(4, x86.offsetof("cred", "uid"), "the famous cred->uid at 4");
        assertEquals(20, x86.offsetof("cred", "euid"));
        assertEquals(16, x86.member("task_struct", "comm").size());
        assertEquals(16, x86.member("task_struct", "comm").arrayLength());
        assertEquals("task_struct", x86.member("task_struct", "real_parent").pointee());
        assertEquals("cred", x86.member("task_struct", "cred").pointee());
        assertEquals(0x30, x86.offsetof("backing_dev_info", "ra_pages"));
        assertEquals(32, x86.offsetof("filename", "iname"));
        assertEquals(32, x86.sizeof("filename"));
        assertEquals(232, x86.sizeof("file"));
        assertEquals(192, x86.sizeof("dentry"));
        assertEquals(176, x86.sizeof("cred"));
        assertEquals(416, x86.sizeof("linux_binprm"));
        assertEquals(24, x86.sizeof("open_how"));
        assertEquals(64, x86.require("task_struct").align());
        assertEquals(-1, x86.sizeof("no_such_struct"));
    }

    @Test
    void dottedPathsResolveThroughEmbeddedStructures() {
        assertEquals(0x18, x86.offsetof("file", "f_path.dentry"));
        assertEquals(0x10, x86.offsetof("file", "f_path.mnt"));
        assertEquals(0x28, x86.offsetof("dentry", "d_name.name"));
        assertEquals(0x24, x86.offsetof("dentry", "d_name.len"));
        StructMember m = x86.member("fs_struct", "pwd.dentry");
        assertEquals("pwd.dentry", m.name());
        assertEquals(0x30, m.offset());
        assertEquals("dentry", m.pointee());
        assertEquals(-1, x86.offsetof("file", "f_inode.i_mode"), "pointers are not followed");
        assertEquals(-1, x86.offsetof("file", "f_path.nope"));
        assertEquals(-1, x86.offsetof("file", ""));
        assertEquals(-1, x86.offsetof("nope", "x"));
    }

    @Test
    void typeParsing() {
        StructMember ptrs = x86.member("files_struct", "fd_array");
        assertTrue(ptrs.isArray());
        assertFalse(ptrs.isPointer());
        assertEquals(64, ptrs.arrayLength());
        assertEquals("struct file *", ptrs.elementType());
        assertEquals(512, ptrs.size());
        StructMember iname = x86.member("filename", "iname");
        assertEquals(0, iname.arrayLength());
        assertEquals(0, iname.size());
        assertEquals("path", x86.member("file", "f_path").embeddedStruct());
        assertNull(x86.member("file", "f_path").pointee());
        assertNull(x86.member("hlist_node", "pprev").pointee(), "pointer to pointer");
        assertTrue(x86.member("hlist_node", "pprev").isPointer());
        assertEquals("struct cred *", CTypes.strip("const struct cred __rcu *"));
        assertEquals("struct hlist_node **", CTypes.strip("struct hlist_node * *"));
    }

    @Test
    void checkFindsOverlapMisalignmentBadSizesAndBounds() {
        StructLayouts bad = StructLayouts.builder("bad")
                .struct("s", 24, 0)
                .member(0, "a", "u64")
                .member(4, "b", "u32")
                .member(10, "c", "u32")
                .member(16, "d", "u64", 4)
                .member(20, "e", "struct mystery *")
                .member(22, "f", "mystery_t", 2)
                .struct("t", 12, 8)
                .member(0, "x", "u64")
                .build();
        List<String> p = bad.check();
        assertTrue(p.stream().anyMatch(s -> s.contains("s.b") && s.contains("overlaps a")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("s.c") && s.contains("not aligned")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("s.d") && s.contains("needs 8")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("s.e") && s.contains("outside")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("s.f") && s.contains("unknown type")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("struct t") && s.contains("multiple of its alignment")),
                p.toString());
    }

    @Test
    void checkFindsMisplacedFlexibleArraysAndAlignmentAboveTheStructure() {
        StructLayouts bad = StructLayouts.builder("bad")
                .struct("s", 16, 4)
                .member(0, "tail", "char[]")
                .member(8, "x", "u64")
                .build();
        List<String> p = bad.check();
        assertTrue(p.stream().anyMatch(s -> s.contains("flexible array")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("exceeds the structure's 4")), p.toString());
    }

    @Test
    void builderDerivesSizesAndRejectsUnknowns() {
        StructLayouts l = StructLayouts.builder("t")
                .struct("outer", 24, 0).member(0, "in", "struct inner").member(16, "n", "long")
                .struct("inner", 16, 0).member(0, "p", "void *").member(8, "q", "int[2]")
                .build();
        assertEquals(16, l.member("outer", "in").size());
        assertEquals(8, l.member("inner", "q").size());
        assertEquals(8, l.require("outer").align());
        assertEquals(List.of(), l.check());
        assertThrows(IllegalArgumentException.class,
                () -> StructLayouts.builder("t").struct("s", 8, 0).member(0, "m", "mystery_t").build());
        assertThrows(IllegalArgumentException.class,
                () -> StructLayouts.builder("t").struct("s", 8, 0).member(0, "m", "u32").member(4, "m", "u32")
                        .build());
        assertThrows(IllegalArgumentException.class, () -> l.require("nope"));
    }
}
