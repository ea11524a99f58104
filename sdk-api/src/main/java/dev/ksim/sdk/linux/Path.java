package dev.ksim.sdk.linux;

/** {@code struct path}: a mount and a dentry, the VFS's name for a location. */
public final class Path extends KernelStruct {
    /** @param addr the structure's address */
    public Path(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "path";
    }

    /** @return {@code mnt}: the {@code struct vfsmount} address */
    public long mnt() {
        return ptr("mnt");
    }

    /** @return {@code dentry} */
    public Dentry dentry() {
        return new Dentry(ptr("dentry"));
    }
}
