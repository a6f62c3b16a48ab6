package io.fjord.generator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every struct of one message, nested or common, with the versions in which it can appear: a
 * nested struct exists only where the field that holds it does.
 */
final class StructRegistry {
    private StructRegistry() {
    }

    static Map<String, StructSpec> of(MessageSpec spec) {
        Map<String, StructSpec> structs = new LinkedHashMap<>();
        for (StructSpec common : spec.commonStructs()) {
            register(spec, structs, new StructSpec(common.name(),
                    common.versions().intersect(spec.validVersions()), common.fields()));
        }
        registerNested(spec, structs, spec.struct().fields(), spec.validVersions());
        return structs;
    }

    private static void register(MessageSpec spec, Map<String, StructSpec> structs, StructSpec struct) {
        if (structs.putIfAbsent(struct.name(), struct) != null) {
            throw new IllegalArgumentException(spec.name() + ": struct " + struct.name() + " is declared twice");
        }
        registerNested(spec, structs, struct.fields(), struct.versions());
    }

    private static void registerNested(MessageSpec spec, Map<String, StructSpec> structs, List<FieldSpec> fields, Versions context) {
        for (FieldSpec field : fields) {
            FieldType.StructType st = field.structType();
            if (st == null) {
                continue;
            }
            if (field.fields() != null) {
                register(spec, structs, new StructSpec(st.name(), field.versions().intersect(context), field.fields()));
            } else if (spec.commonStructs().stream().noneMatch(c -> c.name().equals(st.name()))) {
                throw new IllegalArgumentException(spec.name() + ": field " + field.name()
                        + " uses struct " + st.name() + " that is neither declared inline nor common");
            }
        }
    }
}
