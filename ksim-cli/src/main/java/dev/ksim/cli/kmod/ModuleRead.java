package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.loader.image.CompileException;
import dev.ksim.loader.image.InvalidModuleException;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.sdk.Errno;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Reading a module file for a kmod tool, and the two ways it fails: the tool cannot read it ("could not
 * load module": no such file, a {@code .java} file that does not compile), or the kernel refuses it
 * ("could not insert module": not a module, a directory), having logged why.
 */
final class ModuleRead {
    private ModuleRead() {
    }

    /** What reading gave. */
    sealed interface Outcome permits Ok, LoadError, InsertError {
    }

    /** @param image the module */
    record Ok(ModuleImage image) implements Outcome {
    }

    /**
     * @param errno the negative errno of the failed read
     * @param detail what to print instead of the errno's text, or null
     */
    record LoadError(int errno, String detail) implements Outcome {
        LoadError(int errno) {
            this(errno, null);
        }

        /** @return the reason as the tool prints it */
        String reason() {
            return detail != null ? detail : dev.ksim.sdk.Errno.strerror(errno);
        }
    }

    /** @param errno the negative errno the kernel returned */
    record InsertError(int errno) implements Outcome {
    }

    /** Something that reads a module and may fail as a file or as a module. */
    @FunctionalInterface
    interface Reader {
        /**
         * @return the module
         * @throws IOException if the file cannot be read
         * @throws InvalidModuleException if it is not a module
         * @throws CompileException if it does not compile
         */
        ModuleImage read() throws IOException, InvalidModuleException, CompileException;
    }

    /**
     * Reads a module, reporting compile errors to standard error and the kernel's complaints to its log.
     *
     * @param inv the invocation
     * @param reader how to read it
     * @return the outcome
     */
    static Outcome read(Invocation inv, Reader reader) {
        try {
            return new Ok(reader.read());
        } catch (NoSuchFileException e) {
            return new LoadError(-Errno.ENOENT);
        } catch (AccessDeniedException e) {
            return new LoadError(-Errno.EACCES);
        } catch (IOException e) {
            return new LoadError(-Errno.EIO, e.getMessage());
        } catch (CompileException e) {
            inv.err().print(e.getMessage());
            return new LoadError(-Errno.ENOEXEC);
        } catch (InvalidModuleException e) {
            for (String line : e.kernelLog) {
                inv.session().kernel().log().line(line + "\n");
            }
            return new InsertError(e.errno);
        }
    }
}
