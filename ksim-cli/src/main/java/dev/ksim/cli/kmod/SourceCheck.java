package dev.ksim.cli.kmod;

import dev.ksim.check.CheckException;
import dev.ksim.check.CheckReport;
import dev.ksim.check.ModuleChecker;
import dev.ksim.kernel.KernelProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code insmod Foo.java} checks the source first, against the running kernel's profile. When the check finds
 * an error, every finding is printed to standard error as {@code ksim check} prints it and the load is
 * refused, unless {@code --ignore-check}; warnings alone load quietly. A file that does not parse is left to
 * the compiler, which reports it.
 */
final class SourceCheck {
    private SourceCheck() {
    }

    /**
     * @param err where findings go
     * @param path the source file
     * @param file the file as given
     * @param profile the running kernel's profile
     * @param ignoreErrors {@code --ignore-check}: print the findings, load anyway
     * @return whether to go on loading
     */
    static boolean allows(PrintWriter err, Path path, String file, KernelProfile profile, boolean ignoreErrors) {
        CheckReport r;
        try {
            r = new ModuleChecker(profile).check(List.of(path));
        } catch (CheckException e) {
            return true; // does not parse: javac reports it next
        } catch (RuntimeException e) {
            err.println("insmod: WARNING: ksim check could not check " + file + ": " + e);
            return true;
        }
        if (!r.hasErrors()) {
            return true; // warnings are for ksim check; insmod stays as quiet as kmod's
        }
        String prefix = path.toString();
        for (var d : r.diagnostics()) {
            err.print(d.format().replace(prefix + ":", file + ":"));
        }
        err.println(r.summary());
        if (!ignoreErrors) {
            Kmod.error(err, "insmod", "could not insert module " + file + ": ksim check found " + r.errors()
                    + (r.errors() == 1 ? " error" : " errors") + " (--ignore-check loads it anyway)");
            err.flush();
            return false;
        }
        err.flush();
        return true;
    }
}
