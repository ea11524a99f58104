package dev.ksim.kernel.trace;

/**
 * The messages of the {@code ERRORS} list in {@code kernel/trace/trace_probe.h}, word for word (the
 * kernel's spelling, "valiable" included).
 */
final class ProbeErrors {
    static final String FILE_NOT_FOUND = "Failed to find the given file";
    static final String NO_REGULAR_FILE = "Not a regular file";
    static final String BAD_REFCNT = "Invalid reference counter offset";
    static final String REFCNT_OPEN_BRACE = "Reference counter brace is not closed";
    static final String BAD_REFCNT_SUFFIX = "Reference counter has wrong suffix";
    static final String BAD_UPROBE_OFFS = "Invalid uprobe offset";
    static final String MAXACT_NO_KPROBE = "Maxactive is not for kprobe";
    static final String BAD_MAXACT = "Invalid maxactive number";
    static final String MAXACT_TOO_BIG = "Maxactive is too big";
    static final String BAD_PROBE_ADDR = "Invalid probed address or symbol";
    static final String BAD_RETPROBE = "Retprobe address must be an function entry";
    static final String BAD_ADDR_SUFFIX = "Invalid probed address suffix";
    static final String NO_GROUP_NAME = "Group name is not specified";
    static final String GROUP_TOO_LONG = "Group name is too long";
    static final String BAD_GROUP_NAME = "Group name must follow the same rules as C identifiers";
    static final String NO_EVENT_NAME = "Event name is not specified";
    static final String EVENT_TOO_LONG = "Event name is too long";
    static final String BAD_EVENT_NAME = "Event name must follow the same rules as C identifiers";
    /** 5.12 and later; older kernels only warn in the kernel log. */
    static final String EVENT_EXIST = "Given group/event name is already used by another event";
    static final String RETVAL_ON_PROBE = "$retval is not available on probe";
    static final String BAD_STACK_NUM = "Invalid stack number";
    static final String BAD_ARG_NUM = "Invalid argument number";
    static final String BAD_VAR = "Invalid $-valiable specified";
    static final String BAD_REG_NAME = "Invalid register name";
    static final String BAD_MEM_ADDR = "Invalid memory address";
    static final String BAD_IMM = "Invalid immediate value";
    static final String IMMSTR_NO_CLOSE = "String is not closed with '\"'";
    static final String FILE_ON_KPROBE = "File offset is not available with kprobe";
    static final String BAD_FILE_OFFS = "Invalid file offset value";
    static final String SYM_ON_UPROBE = "Symbol is not available with uprobe";
    static final String TOO_MANY_OPS = "Dereference is too much nested";
    static final String DEREF_NEED_BRACE = "Dereference needs a brace";
    static final String BAD_DEREF_OFFS = "Invalid dereference offset";
    static final String DEREF_OPEN_BRACE = "Dereference brace is not closed";
    static final String COMM_CANT_DEREF = "$comm can not be dereferenced";
    static final String BAD_FETCH_ARG = "Invalid fetch argument";
    static final String ARRAY_NO_CLOSE = "Array is not closed";
    static final String BAD_ARRAY_SUFFIX = "Array has wrong suffix";
    static final String BAD_ARRAY_NUM = "Invalid array size";
    static final String ARRAY_TOO_BIG = "Array number is too big";
    static final String BAD_TYPE = "Unknown type is specified";
    static final String BAD_STRING = "String accepts only memory argument";
    static final String BAD_BITFIELD = "Invalid bitfield";
    static final String ARG_NAME_TOO_LONG = "Argument name is too long";
    static final String NO_ARG_NAME = "Argument name is not specified";
    static final String BAD_ARG_NAME = "Argument name must follow the same rules as C identifiers";
    static final String USED_ARG_NAME = "This argument name is already used";
    static final String ARG_TOO_LONG = "Argument expression is too long";
    static final String NO_ARG_BODY = "No argument expression";
    static final String BAD_INSN_BNDRY = "Probe point is not an instruction boundary";
    static final String FAIL_REG_PROBE = "Failed to register probe event";
    static final String DIFF_PROBE_TYPE = "Probe type is different from existing probe";
    static final String DIFF_ARG_TYPE = "Argument type or name is different from existing probe";
    static final String SAME_PROBE = "There is already the exact same probe event";

    private ProbeErrors() {
    }
}
