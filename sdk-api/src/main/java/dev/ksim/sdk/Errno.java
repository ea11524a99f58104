package dev.ksim.sdk;

/**
 * Linux errno values, as {@code <uapi/asm-generic/errno-base.h>} and {@code errno.h} define them.
 *
 * <p>Kernel APIs in ksim return what the kernel returns: {@code 0} on success or a <em>negative</em>
 * errno, so module code reads {@code if (ret < 0) return ret;} exactly as in C. {@link #strerror(int)}
 * gives glibc's message for a (positive or negative) errno, as {@code insmod} prints it.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process. */
    public static final int ESRCH = 3;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** Argument list too long. */
    public static final int E2BIG = 7;
    /** Exec format error. */
    public static final int ENOEXEC = 8;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** No child processes. */
    public static final int ECHILD = 10;
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = 11;
    /** Same value as {@link #EAGAIN}. */
    public static final int EWOULDBLOCK = EAGAIN;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Not a directory. */
    public static final int ENOTDIR = 20;
    /** Is a directory. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Numerical result out of range. */
    public static final int ERANGE = 34;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Directory not empty. */
    public static final int ENOTEMPTY = 39;
    /** Invalid or incomplete multibyte or wide character. */
    public static final int EILSEQ = 84;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Key was rejected by service. */
    public static final int EKEYREJECTED = 129;

    private Errno() {
    }

    /**
     * Returns glibc's {@code strerror} text for an errno; the sign is ignored.
     *
     * @param errno a positive or negative errno
     * @return the message, or {@code "Unknown error N"} as glibc prints for unknown values
     */
    public static String strerror(int errno) {
        int e = Math.abs(errno);
        return switch (e) {
            case 0 -> "Success";
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EINTR -> "Interrupted system call";
            case EIO -> "Input/output error";
            case ENXIO -> "No such device or address";
            case E2BIG -> "Argument list too long";
            case ENOEXEC -> "Exec format error";
            case EBADF -> "Bad file descriptor";
            case ECHILD -> "No child processes";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EFAULT -> "Bad address";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case ENODEV -> "No such device";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case EMFILE -> "Too many open files";
            case ENOSPC -> "No space left on device";
            case ERANGE -> "Numerical result out of range";
            case ENAMETOOLONG -> "File name too long";
            case ENOSYS -> "Function not implemented";
            case ENOTEMPTY -> "Directory not empty";
            case EILSEQ -> "Invalid or incomplete multibyte or wide character";
            case EOPNOTSUPP -> "Operation not supported";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case EKEYREJECTED -> "Key was rejected by service";
            default -> "Unknown error " + e;
        };
    }

    /**
     * Returns the symbolic name of an errno ({@code "EINVAL"} for 22 or -22), or {@code null}.
     *
     * @param errno a positive or negative errno
     * @return the constant's name, or {@code null} if ksim does not define it
     */
    public static String name(int errno) {
        int e = Math.abs(errno);
        for (var f : Errno.class.getFields()) {
            try {
                if (f.getType() == int.class && f.getInt(null) == e && !f.getName().equals("EWOULDBLOCK")) {
                    return f.getName();
                }
            } catch (IllegalAccessException impossible) {
                throw new AssertionError(impossible);
            }
        }
        return null;
    }
}
