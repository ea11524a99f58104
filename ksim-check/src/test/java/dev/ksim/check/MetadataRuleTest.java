package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetadataRuleTest extends CheckerTestSupport {
    private static String module(String info, String param) {
        return """
                INFO
                public class Meta implements KernelModule {
                    PARAM
                    final Kprobe kp = new Kprobe("kernel_clone");
                    public int init() { kp.pre_handler = (p, r) -> 0; return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """.replace("INFO", info).replace("PARAM", param);
    }

    @Test
    void aMissingLicenseIsModpostsError() {
        Diagnostic d = only(check("Meta", module("", "")), Rule.LICENSE_MISSING);
        assertEquals("missing MODULE_LICENSE() in Meta.java: add @ModuleInfo(license = \"GPL\")", d.message());
        only(check("Meta", module("@ModuleInfo(license = \"\", description = \"x\")", "")), Rule.LICENSE_MISSING);
    }

    @Test
    void aProprietaryModuleUsingGplOnlySymbolsIsModpostsError() {
        CheckReport r = check("Meta", module("@ModuleInfo(license = \"Proprietary\")", ""));
        assertEquals(java.util.List.of("GPL-incompatible module Meta.ko uses GPL-only symbol 'register_kprobe'",
                "GPL-incompatible module Meta.ko uses GPL-only symbol 'unregister_kprobe'"),
                r.of(Rule.LICENSE_GPL_ONLY).stream().map(Diagnostic::message).toList());
        assertEquals(2, r.errors());
    }

    @Test
    void gplCompatibleLicensesMayUseThem() {
        for (String l : new String[] {"GPL", "GPL v2", "Dual BSD/GPL", "Dual MIT/GPL", "GPL and additional rights"}) {
            assertClean(check("Meta", module("@ModuleInfo(license = \"" + l + "\")", "")));
        }
    }

    @Test
    void aProprietaryModuleWithoutGplOnlySymbolsIsFine() {
        assertClean(check("Quiet", """
                @ModuleInfo(license = "Proprietary")
                public class Quiet implements KernelModule {
                    public int init() { pr_info("hello\\n"); return 0; }
                }
                """));
    }

    @Test
    void aParameterWithoutDescriptionIsAWarning() {
        Diagnostic d = only(check("Meta", module("@ModuleInfo(license = \"GPL\")",
                "@ModuleParam(name = \"func\", perm = 0644) public String func_name = \"kernel_clone\";")),
                Rule.PARAM_DESC);
        assertEquals(Severity.WARNING, d.severity());
        assertEquals("parameter 'func' has no description (MODULE_PARM_DESC): set @ModuleParam(desc = \"...\") for "
                + "modinfo", d.message());
        assertClean(check("Meta", module("@ModuleInfo(license = \"GPL\")",
                "@ModuleParam(perm = 0644, desc = \"function to probe\") public String func = \"kernel_clone\";")));
    }
}
