package dev.ksim.test;

import dev.ksim.loader.LoadedModule;
import dev.ksim.loader.ModuleState;

/**
 * A module loaded into a {@link TestKernel}: its state, parameters and taints as {@code /sys/module} and
 * {@code /proc/modules} show them, and its removal.
 */
public final class TestModule {
    private final TestKernel kernel;
    private final LoadedModule module;

    TestModule(TestKernel kernel, LoadedModule module) {
        this.kernel = kernel;
        this.module = module;
    }

    /** @return the module's name ({@code kprobe_example}) */
    public String name() {
        return module.name();
    }

    /** @return its state: {@code LIVE} once init returned 0 */
    public ModuleState state() {
        return module.state();
    }

    /** @return the taint letters {@code /proc/modules} shows for it ({@code "OE"}) */
    public String taints() {
        return module.taintLetters();
    }

    /** @return its reference count, as lsmod's "Used by" */
    public int refcount() {
        return module.refcount();
    }

    /**
     * @param name a parameter
     * @return its value as {@code cat /sys/module/<m>/parameters/<name>} prints it, without the newline
     */
    public String param(String name) {
        return kernel.read("/sys/module/" + name() + "/parameters/" + name).stripTrailing();
    }

    /**
     * Sets a parameter through sysfs, as {@code echo VALUE > /sys/module/<m>/parameters/<name>} does.
     *
     * @param name the parameter
     * @param value the value
     * @return 0 or the negative errno of the write
     */
    public int setParam(String name, String value) {
        return kernel.write("/sys/module/" + name() + "/parameters/" + name, value);
    }

    /**
     * Removes the module ({@code rmmod}) and fails the test if the kernel refuses.
     *
     * @throws AssertionError with the errno and the kernel log if the removal failed
     */
    public void rmmod() {
        int r = kernel.rmmod(name());
        if (r != 0) {
            throw new AssertionError("rmmod: ERROR: could not remove module " + name() + ": "
                    + dev.ksim.sdk.Errno.strerror(r) + "\n" + kernel.dmesgText());
        }
    }

    @Override
    public String toString() {
        return module.toString();
    }
}
