package dev.ksim.kernel.trace;

/**
 * The kernel's {@code kstrtoul}/{@code kstrtol} with base 0 ({@code lib/kstrtox.c}): an optional {@code +} (and
 * {@code -} for the signed form), {@code 0x} for hex, a leading {@code 0} for octal, one trailing newline allowed,
 * nothing else; out of range fails.
 */
final class Kstrto {
    private Kstrto() {
    }

    /** @param s the text @return the unsigned value, or null if {@code kstrtoul(s, 0, …)} fails */
    static Long ul(String s) {
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        int base = 10;
        if (s.length() > 1 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            base = 16;
            s = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            base = 8;
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            return null;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0) {
                return null;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, base)) > 0) {
                return null;
            }
            v = v * base + d;
        }
        return v;
    }

    /** @param s the text @return the signed value, or null if {@code kstrtol(s, 0, …)} fails */
    static Long l(String s) {
        if (s.startsWith("-")) {
            Long v = ul(s.substring(1));
            if (v == null || Long.compareUnsigned(v, Long.MIN_VALUE) > 0) {
                return null;
            }
            return -v;
        }
        Long v = ul(s);
        return v == null || v < 0 ? null : v;
    }

    /** @param s the text @return the value as an unsigned int, or null if {@code kstrtouint} fails */
    static Long uint(String s) {
        Long v = ul(s);
        return v == null || Long.compareUnsigned(v, 0xffffffffL) > 0 ? null : v;
    }
}
