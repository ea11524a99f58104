package dev.ksim.loader.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/** The stack effects the nullness analysis relies on: a tracked value keeps its slot and identity. */
class NullStackTest {
    private static final NullValue A = new NullValue(1, NullValue.State.MAYBE_NULL, "map_value");
    private static final NullValue B = new NullValue(2, NullValue.State.MAYBE_NULL, "mem");
    private static final NullValue C = new NullValue(3, NullValue.State.NON_NULL, "map_value");

    private static Insn insn(int opcode, String desc, int var) {
        return new Insn(0, opcode, null, null, desc, var, var, false, new Label[0]);
    }

    /** @return a frame whose stack holds {@code values}, the last on top */
    private static NullFrame stack(NullValue... values) {
        NullFrame f = NullFrame.entry(4);
        for (NullValue v : values) {
            f.push(v);
        }
        return f;
    }

    private static void assertStack(NullFrame f, NullValue... bottomToTop) {
        for (int i = 0; i < bottomToTop.length; i++) {
            assertSame(bottomToTop[i], f.peek(bottomToTop.length - 1 - i), "slot " + i);
        }
    }

    @Test
    void dupFamilyCopiesTheTopUnderTheSlotsBelow() {
        NullFrame f = stack(C, B, A);
        NullStack.apply(insn(Opcodes.DUP_X2, null, -1), f, null);
        assertStack(f, A, C, B, A);

        f = stack(C, B, A);
        NullStack.apply(insn(Opcodes.DUP2_X1, null, -1), f, null);
        assertStack(f, B, A, C, B, A);

        f = stack(B, A);
        NullStack.apply(insn(Opcodes.SWAP, null, -1), f, null);
        assertStack(f, A, B);
    }

    @Test
    void longsTakeTwoSlotsAndStoresKeepIdentity() {
        NullFrame f = stack(A);
        NullStack.apply(insn(Opcodes.LDC, "J", -1), f, null);
        NullStack.apply(insn(Opcodes.POP2, null, -1), f, null);
        NullStack.apply(insn(Opcodes.ASTORE, null, 2), f, null);
        assertSame(A, f.local(2));
        NullStack.apply(insn(Opcodes.ALOAD, null, 2), f, null);
        NullStack.apply(insn(Opcodes.CHECKCAST, null, -1), f, null);
        f.refine(A.id(), NullValue::checkedNonNull);
        assertEquals(NullValue.State.NON_NULL, f.local(2).state());
        assertEquals(NullValue.State.NON_NULL, f.peek(0).state());
    }

    @Test
    void aValueNullOnOnePathIsMaybeNullWhereThePathsMeet() {
        NullFrame checked = stack(A.checkedNonNull());
        NullFrame foundNull = stack(A.checkedNull());
        checked.join(foundNull, 7);
        assertEquals(A, checked.peek(0));
        NullFrame other = stack(B);
        assertEquals(true, checked.join(other, 7));
        assertEquals(NullValue.State.MAYBE_NULL, checked.peek(0).state());
        assertEquals(false, checked.join(stack(A), 7), "a value merged at the same place keeps its merged id");
    }
}
