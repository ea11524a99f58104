// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.hids;

/**
 * One process execution as an HIDS agent reports it.
 *
 * @param pid the process (thread group) id
 * @param ppid its parent's
 * @param uid its real user id
 * @param comm its command name after the exec (before it, if the exec failed)
 * @param filename the file execve was asked to run
 * @param argv the arguments, space-separated
 * @param ret execve's result: 0 or a negative errno
 */
record ExecEvent(int pid, int ppid, int uid, String comm, String filename, String argv, long ret) {

    /** @return the line {@code /proc/execve_monitor} shows for it */
    String line() {
        return "pid=" + pid + " ppid=" + ppid + " uid=" + uid + " comm=" + comm + " ret=" + ret + " filename="
                + filename + " argv=" + argv;
    }
}
