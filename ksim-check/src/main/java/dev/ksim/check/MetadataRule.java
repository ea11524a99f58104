package dev.ksim.check;

import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import dev.ksim.loader.image.ModuleMeta;
import dev.ksim.loader.link.ExportPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Module metadata, in modpost's words: {@link Rule#LICENSE_MISSING} ({@code missing MODULE_LICENSE()}),
 * {@link Rule#LICENSE_GPL_ONLY} ({@code GPL-incompatible module X.ko uses GPL-only symbol 'S'}, once per
 * symbol, GPL-only as the loader's {@link ExportPolicy#gplOnly} decides), and {@link Rule#PARAM_DESC} for
 * a parameter without {@code MODULE_PARM_DESC}.
 */
final class MetadataRule implements CheckRule {
    @Override
    public void check(ModuleModel module, Context context, Findings out) {
        Optional<AnnotationExpr> info = module.moduleInfo();
        Optional<Expression> license = info.flatMap(a -> ModuleModel.member(a, "license"));
        if (license.isEmpty() || license.get() instanceof StringLiteralExpr s && s.getValue().isBlank()) {
            out.report(Rule.LICENSE_MISSING, module.file, module.type.getName(), "missing MODULE_LICENSE() in "
                    + module.file.getFileName() + ": add @ModuleInfo(license = \"GPL\")", List.of());
        } else if (license.get() instanceof StringLiteralExpr s
                && !new ModuleMeta(s.getValue(), "", "", "", List.of()).gplCompatible()) {
            gplOnly(module, context, out);
        }
        for (FieldDeclaration f : module.fields()) {
            f.getAnnotationByName("ModuleParam").ifPresent(a -> {
                boolean described = ModuleModel.member(a, "desc")
                        .filter(d -> !(d instanceof StringLiteralExpr s && s.getValue().isBlank())).isPresent();
                if (!described) {
                    String name = ModuleModel.member(a, "name").filter(StringLiteralExpr.class::isInstance)
                            .map(n -> ((StringLiteralExpr) n).getValue()).filter(n -> !n.isEmpty())
                            .orElse(f.getVariable(0).getNameAsString());
                    out.report(Rule.PARAM_DESC, module.file, f.getVariable(0), "parameter '" + name + "' has no "
                            + "description (MODULE_PARM_DESC): set @ModuleParam(desc = \"...\") for modinfo",
                            List.of());
                }
            });
        }
    }

    private static void gplOnly(ModuleModel module, Context context, Findings out) {
        Set<String> reported = new HashSet<>();
        for (MethodCallExpr call : module.type.findAll(MethodCallExpr.class)) {
            for (Callee c : context.resolver().resolve(call)) {
                if (c instanceof Callee.External e
                        && ExportPolicy.INSTANCE.gplOnly(e.type().replace('.', '/'), e.method())
                        && reported.add(e.method())) {
                    out.report(Rule.LICENSE_GPL_ONLY, module.file, call, "GPL-incompatible module "
                            + module.moduleName() + ".ko uses GPL-only symbol '" + e.method() + "'", List.of());
                }
            }
        }
    }
}
