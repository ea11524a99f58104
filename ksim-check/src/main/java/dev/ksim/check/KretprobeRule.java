package dev.ksim.check;

import dev.ksim.sdk.Kretprobe;
import java.util.List;
import java.util.OptionalLong;

/**
 * Kretprobe settings {@code register_kretprobe()} refuses or that lose calls: a non-zero offset
 * ({@code -EINVAL}: only a function's entry can be return-probed), a {@code data_size} over
 * {@code KRETPROBE_MAX_DATA_SIZE} ({@code -E2BIG}), a {@code maxactive} below the default.
 */
final class KretprobeRule implements CheckRule {
    /** The smallest default maxactive: {@code max(10, 2 * num_possible_cpus())}. */
    static final int DEFAULT_MAXACTIVE_FLOOR = 10;

    @Override
    public void check(ModuleModel module, Context context, Findings out) {
        ConstantInts ints = new ConstantInts(module);
        for (ModuleModel.FieldSet f : module.fieldSets) {
            if (f.kind() != ProbeKind.KRETPROBE) {
                continue;
            }
            OptionalLong v = ints.value(f.value());
            if (v.isEmpty()) {
                continue;
            }
            long n = v.getAsLong();
            switch (f.field()) {
                case "offset" -> {
                    if (n != 0) {
                        out.report(Rule.KRETPROBE_OFFSET, module.file, f.site(), "kretprobe '" + f.struct()
                                + "' at offset " + n + ": register_kretprobe() returns -EINVAL, a return probe "
                                + "can only sit on a function's entry", List.of());
                    }
                }
                case "data_size" -> {
                    if (Long.compareUnsigned(n & 0xffffffffL, Kretprobe.KRETPROBE_MAX_DATA_SIZE) > 0) {
                        out.report(Rule.KRETPROBE_DATA_SIZE, module.file, f.site(), "kretprobe '" + f.struct()
                                + "' data_size " + n + " exceeds KRETPROBE_MAX_DATA_SIZE ("
                                + Kretprobe.KRETPROBE_MAX_DATA_SIZE + "): register_kretprobe() returns -E2BIG",
                                List.of());
                    }
                }
                case "maxactive" -> {
                    if (n > 0 && n < DEFAULT_MAXACTIVE_FLOOR) {
                        out.report(Rule.KRETPROBE_MAXACTIVE, module.file, f.site(), "kretprobe '" + f.struct()
                                + "' maxactive " + n + " is below the kernel's default, max("
                                + DEFAULT_MAXACTIVE_FLOOR + ", 2 * num_possible_cpus())",
                                List.of(new Diagnostic.Note(module.at(f.site()), "each call holds an instance "
                                        + "from entry to return: with more than " + n + " calls in flight (a "
                                        + "sleeping function, several CPUs) the others are not probed, only "
                                        + "counted in nmissed")));
                    }
                }
                default -> {
                }
            }
        }
    }
}
