package dev.ksim.kernel.mm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the VFS objects a path-based probe reads: {@code struct filename} (what {@code getname()}
 * returns) and the {@code file} → {@code path} → {@code dentry} → {@code qstr}/{@code inode} chain of an
 * opened file, on one root filesystem ({@code super_block} + {@code vfsmount}).
 *
 * <p>Dentries are cached by canonical path, as the dcache does: opening {@code /usr/bin/ls} and
 * {@code /usr/bin/cat} shares the {@code /usr/bin} dentry, every dentry's {@code d_parent} leads to
 * the root (whose {@code d_parent} is itself), and each child is linked into its parent's
 * {@code d_subdirs} list. Names of up to 31 bytes live in {@code d_iname}; longer ones in a separate
 * allocation, as external names do.
 *
 * <p>Simplifications: no {@code file_operations}, {@code address_space} or page cache ({@code f_op},
 * {@code f_mapping} are NULL); {@code d_name.hash} is a stand-in hash, not {@code full_name_hash()};
 * {@code path.mnt} points to a bare {@code vfsmount}, not one embedded in a {@code struct mount}.
 *
 * <p>Thread safety: the dentry cache and the lazily built root filesystem are guarded by {@code this}.
 */
public final class VfsObjects {
    /** {@code PATH_MAX}. */
    public static final int PATH_MAX = 4096;
    /** {@code DNAME_INLINE_LEN} on 64-bit. */
    public static final int DNAME_INLINE_LEN = 32;
    /** {@code O_ACCMODE}. */
    public static final int O_ACCMODE = 3;
    /** {@code FMODE_READ}. */
    public static final int FMODE_READ = 0x1;
    /** {@code FMODE_WRITE}. */
    public static final int FMODE_WRITE = 0x2;
    /** {@code FMODE_LSEEK}. */
    public static final int FMODE_LSEEK = 0x4;
    /** {@code FMODE_PREAD}. */
    public static final int FMODE_PREAD = 0x8;
    /** {@code FMODE_PWRITE}. */
    public static final int FMODE_PWRITE = 0x10;
    /** {@code FMODE_OPENED}. */
    public static final int FMODE_OPENED = 0x80000;
    /** {@code DCACHE_DIRECTORY_TYPE}. */
    public static final int DCACHE_DIRECTORY_TYPE = 0x0020_0000;
    /** {@code DCACHE_REGULAR_TYPE}. */
    public static final int DCACHE_REGULAR_TYPE = 0x0040_0000;
    /** {@code EXT4_SUPER_MAGIC}: the root filesystem's {@code s_magic}. */
    public static final int EXT4_SUPER_MAGIC = 0xef53;

    private final KernelObjects objects;
    private final KmemCache namesCache;
    private final KmemCache filpCache;
    private final KmemCache dentryCache;
    private final KmemCache inodeCache;
    private final AtomicLong nextIno = new AtomicLong(2);

    /** Canonical path → dentry address; guarded by this. */
    private final Map<String, Long> dcache = new HashMap<>();
    /** The root filesystem, built on first use; guarded by this. */
    private long superBlock;
    private long rootMount;

    VfsObjects(KernelObjects objects, Slab slab, StructLayouts layouts) {
        this.objects = objects;
        this.namesCache = slab.createCache("names_cache", PATH_MAX, 8);
        this.filpCache = slab.createCache("filp", layouts.require("file").size(), 64);
        this.dentryCache = slab.createCache("dentry", layouts.require("dentry").size(), 8);
        this.inodeCache = slab.createCache("inode_cache", layouts.require("inode").size(), 8);
    }

    // ---------------------------------------------------------------- struct filename

    /**
     * {@code getname()}: a {@code struct filename} for a path. The string is stored in the
     * {@code names_cache} object right after the structure ({@code name == iname}) when it fits; a
     * longer one gets a separate structure whose {@code name} points to the {@code names_cache} buffer,
     * as the kernel does. {@code refcnt} is 1, {@code aname} NULL.
     *
     * @param path the path, as the user passed it
     * @param uptr the user address it was copied from ({@code uptr}), or 0
     * @return the {@code struct filename} address
     * @throws IllegalArgumentException if the path is {@code PATH_MAX} bytes or longer ({@code ENAMETOOLONG})
     */
    public long getname(String path, long uptr) {
        byte[] s = path.getBytes(StandardCharsets.UTF_8);
        if (s.length >= PATH_MAX) {
            throw new IllegalArgumentException("ENAMETOOLONG: " + s.length + " bytes");
        }
        KernelMemory mem = objects.memory();
        long buf = alloc(namesCache, false);
        int inameOff = (int) objects.layouts().offsetof("filename", "iname");
        long result;
        long name;
        if (s.length < PATH_MAX - inameOff) {
            result = buf;
            name = buf + inameOff;
        } else {
            result = objects.kzalloc(inameOff + 1);
            name = buf;
        }
        mem.writeBytes(name, s);
        mem.write8(name + s.length, 0);
        objects.ref("filename", result).set("name", name).set("uptr", uptr).set("refcnt", 1).set("aname", 0);
        return result;
    }

    /**
     * {@code putname()}: drops a reference and frees the structure (and a separate name buffer) when it
     * was the last.
     *
     * @param filename a {@code struct filename} from {@link #getname}
     */
    public void putname(long filename) {
        StructRef f = objects.ref("filename", filename);
        int refs = (int) f.get("refcnt") - 1;
        f.set("refcnt", refs);
        if (refs > 0) {
            return;
        }
        long name = f.get("name");
        if (name != f.addrOf("iname")) {
            namesCache.free(name);
            objects.slab().kfree(filename);
        } else {
            namesCache.free(filename);
        }
    }

    // ---------------------------------------------------------------- dentries and files

    /**
     * Looks a path up in the dentry cache, creating its missing components: directories for the
     * intermediate ones, an inode with {@code leaf} for the last. An existing dentry is returned as is.
     *
     * @param path an absolute path ({@code "."}, {@code ".."} and repeated slashes are resolved; a
     *     relative path is taken from the root)
     * @param leaf the attributes for the last component if it is created
     * @return the {@code struct dentry} address
     */
    public synchronized long lookup(String path, InodeSpec leaf) {
        Objects.requireNonNull(leaf, "leaf");
        List<String> parts = canonical(path);
        long d = root();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            key.append('/').append(parts.get(i));
            Long cached = dcache.get(key.toString());
            if (cached != null) {
                d = cached;
                continue;
            }
            InodeSpec spec = i == parts.size() - 1 ? leaf : InodeSpec.directory();
            d = newDentry(d, parts.get(i), newInode(spec), spec.isDirectory());
            dcache.put(key.toString(), d);
        }
        return d;
    }

    /**
     * Opens a path: a new {@code struct file} whose {@code f_path} is the root mount and the path's
     * dentry, {@code f_inode} its inode, {@code f_count} 1 and {@code f_mode} derived from the flags as
     * {@code do_dentry_open()} does.
     *
     * @param path the path (see {@link #lookup})
     * @param flags the {@code open()} flags, e.g. {@code O_RDONLY} (0)
     * @param leaf attributes of the file if the path does not exist yet
     * @param cred the opener's {@code struct cred} for {@code f_cred}, or 0
     * @return the {@code struct file} address
     */
    public long openFile(String path, int flags, InodeSpec leaf, long cred) {
        long dentry = lookup(path, leaf);
        long mnt;
        synchronized (this) {
            mnt = rootMount;
        }
        StructRef d = objects.ref("dentry", dentry);
        long file = alloc(filpCache, true);
        int fmode = ((flags + 1) & O_ACCMODE) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE | FMODE_OPENED;
        objects.ref("file", file)
                .set("f_path.mnt", mnt)
                .set("f_path.dentry", dentry)
                .set("f_inode", d.get("d_inode"))
                .set("f_flags", flags)
                .set("f_mode", fmode)
                .set("f_count", 1)
                .set("f_pos", 0)
                .set("f_cred", cred);
        return file;
    }

    /**
     * Opens a path read-only ({@code O_RDONLY}), creating a root-owned regular file if it does not exist.
     *
     * @param path the path
     * @return the {@code struct file} address
     */
    public long openFile(String path) {
        return openFile(path, 0, InodeSpec.regular(), 0);
    }

    /** @return the root dentry ({@code d_parent} points to itself) */
    public synchronized long root() {
        Long r = dcache.get("/");
        if (r != null) {
            return r;
        }
        superBlock = objects.kzalloc(objects.layouts().require("super_block").size());
        long root = newDentry(0, "/", newInode(InodeSpec.directory()), true);
        objects.ref("super_block", superBlock)
                .initListHead("s_list")
                .set("s_dev", (8 << 20) | 1)
                .set("s_blocksize_bits", 12)
                .set("s_blocksize", 4096)
                .set("s_maxbytes", 0xffff_ffff_ffffL)
                .set("s_magic", EXT4_SUPER_MAGIC)
                .set("s_root", root);
        rootMount = objects.kzalloc(objects.layouts().require("vfsmount").size());
        objects.ref("vfsmount", rootMount).set("mnt_root", root).set("mnt_sb", superBlock);
        dcache.put("/", root);
        return root;
    }

    /** @return the root filesystem's {@code struct vfsmount} */
    public synchronized long rootMount() {
        root();
        return rootMount;
    }

    private long newInode(InodeSpec spec) {
        long inode = alloc(inodeCache, true);
        objects.ref("inode", inode)
                .set("i_mode", spec.mode())
                .set("i_uid", spec.uid())
                .set("i_gid", spec.gid())
                .set("i_sb", superBlock)
                .set("i_ino", nextIno.getAndIncrement())
                .set("i_nlink", spec.isDirectory() ? 2 : 1)
                .set("i_size", spec.size())
                .set("i_blkbits", 12)
                .set("i_blocks", (spec.size() + 511) / 512)
                .initListHead("i_io_list");
        return inode;
    }

    /** Caller holds this. */
    private long newDentry(long parent, String name, long inode, boolean dir) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long dentry = alloc(dentryCache, true);
        StructRef d = objects.ref("dentry", dentry);
        long nameAddr;
        if (n.length < DNAME_INLINE_LEN) {
            nameAddr = d.addrOf("d_iname");
        } else {
            nameAddr = objects.kmalloc(n.length + 1);
        }
        KernelMemory mem = objects.memory();
        mem.writeBytes(nameAddr, n);
        mem.write8(nameAddr + n.length, 0);
        d.set("d_flags", dir ? DCACHE_DIRECTORY_TYPE : DCACHE_REGULAR_TYPE)
                .set("d_parent", parent == 0 ? dentry : parent)
                .set("d_name.hash", name.hashCode())
                .set("d_name.len", n.length)
                .set("d_name.name", nameAddr)
                .set("d_inode", inode)
                .set("d_sb", superBlock)
                .initListHead("d_lru")
                .initListHead("d_child")
                .initListHead("d_subdirs");
        if (parent != 0) {
            d.listAdd("d_child", objects.ref("dentry", parent).addrOf("d_subdirs"));
        }
        return dentry;
    }

    /**
     * Splits a path into its components, resolving {@code .} and {@code ..} lexically.
     *
     * @param path a path
     * @return its components from the root
     */
    public static List<String> canonical(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(p);
        }
        return parts;
    }

    private static long alloc(KmemCache cache, boolean zero) {
        long a = zero ? cache.zalloc() : cache.alloc();
        if (a == 0) {
            throw new IllegalStateException("ENOMEM: " + cache.name());
        }
        return a;
    }
}
