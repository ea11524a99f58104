package dev.ksim.kernel.mm;

/**
 * The ids of a {@code struct cred} to create with {@link KernelObjects#createCred}.
 *
 * @param uid real user id
 * @param gid real group id
 * @param suid saved user id
 * @param sgid saved group id
 * @param euid effective user id
 * @param egid effective group id
 * @param fsuid filesystem user id
 * @param fsgid filesystem group id
 */
public record CredSpec(int uid, int gid, int suid, int sgid, int euid, int egid, int fsuid, int fsgid) {

    /**
     * @param uid the user id for all four uid fields
     * @param gid the group id for all four gid fields
     * @return the ids of an ordinary (non-setuid) process
     */
    public static CredSpec of(int uid, int gid) {
        return new CredSpec(uid, gid, uid, gid, uid, gid, uid, gid);
    }

    /** @return root's ids, all 0 */
    public static CredSpec root() {
        return of(0, 0);
    }
}
