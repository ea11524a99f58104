package dev.ksim.kernel.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ElfImageTest {

    @Test
    void theTestProgramSurvivesItsFileFormat() {
        ElfImage img = StockPrograms.test();
        byte[] bytes = img.toBytes();
        assertEquals(15960, bytes.length, "padded to the size gcc's binary has");
        ElfImage back = ElfImage.parse(bytes);
        assertEquals(img.symbols(".symtab"), back.symbols(".symtab"));
        assertEquals(img.symbols(".dynsym"), back.symbols(".dynsym"));
        assertEquals(img.function("foo"), back.function("foo"));
        assertEquals(img.function("main"), back.function("main"));
        assertEquals("foo() called", back.strings().get(0x2004L));
        ElfImage.Sym foo = back.symbols(".symtab").get(28);
        assertEquals(new ElfImage.Sym(".symtab", 0x1149, 26, "FUNC", "GLOBAL", "DEFAULT", "16", "foo"), foo);
    }

    @Test
    void filesWithoutTheMagicAreNotElfAndABareHeaderHasNoSymbols() {
        assertNull(ElfImage.parse("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
        ElfImage bare = ElfImage.parse("\177ELF".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0, bare.symbols(".symtab").size());
        assertNull(bare.function("main"));
    }
}
