package dev.ksim.sdk.linux;

/**
 * {@code struct linux_binprm}: an {@code execve()} in progress, the argument of
 * {@code bprm_execve}'s callees such as {@code security_bprm_check}, {@code search_binary_handler} and
 * {@code exec_binprm}.
 */
public final class LinuxBinprm extends KernelStruct {
    /** @param addr the structure's address */
    public LinuxBinprm(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "linux_binprm";
    }

    /** @return {@code filename}: the path being executed, as procps shows it */
    public String filename() {
        return string("filename");
    }

    /** @return {@code filename}: the pointer */
    public long filename_ptr() {
        return ptr("filename");
    }

    /** @return {@code interp}: the binary really executed (differs for scripts and binfmt_misc) */
    public String interp() {
        return string("interp");
    }

    /** @return {@code interp}: the pointer */
    public long interp_ptr() {
        return ptr("interp");
    }

    /** @return {@code fdpath}: the generated name for {@code execveat(fd, "")}, usually NULL */
    public long fdpath_ptr() {
        return ptr("fdpath");
    }

    /** @return {@code argc} */
    public int argc() {
        return i32("argc");
    }

    /** @return {@code envc} */
    public int envc() {
        return i32("envc");
    }

    /** @return {@code p}: the current top of the new stack (a user address in the new mm) */
    public long p() {
        return i64("p");
    }

    /** @return {@code file}: the opened executable */
    public File file() {
        return new File(ptr("file"));
    }

    /** @return {@code executable}: the file passed to the interpreter, possibly NULL */
    public File executable() {
        return new File(ptr("executable"));
    }

    /** @return {@code interpreter}: the interpreter's file, possibly NULL */
    public File interpreter() {
        return new File(ptr("interpreter"));
    }

    /** @return {@code mm}: the new address space */
    public MmStruct mm() {
        return new MmStruct(ptr("mm"));
    }

    /** @return {@code cred}: the new credentials */
    public Cred cred() {
        return new Cred(ptr("cred"));
    }

    /** @return {@code execfd}: the executable's descriptor for the interpreter, or -1 */
    public int execfd() {
        return i32("execfd");
    }
}
