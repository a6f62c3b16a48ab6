package io.fjord.generator;

import java.util.List;
import java.util.Map;

/** One field of a spec struct, with its version ranges and encoding options. */
record FieldSpec(
        String name,
        FieldType type,
        Versions versions,
        Versions nullableVersions,
        Versions taggedVersions,
        Integer tag,
        String defaultValue,
        boolean ignorable,
        String entityType,
        boolean mapKey,
        Versions flexibleOverride,
        String about,
        List<FieldSpec> fields) {

    @SuppressWarnings("unchecked")
    static FieldSpec parse(Map<String, Object> json) {
        String name = (String) json.get("name");
        FieldType type = FieldType.parse((String) json.get("type"));
        Versions tagged = Versions.parse((String) json.get("taggedVersions"), Versions.NONE);
        Versions versions = Versions.parse((String) json.get("versions"), tagged);
        if (versions.isEmpty() && tagged.isEmpty()) {
            throw new IllegalArgumentException("field " + name + " has no versions");
        }
        Integer tag = json.containsKey("tag") ? Integer.valueOf(json.get("tag").toString()) : null;
        if ((tag == null) != tagged.isEmpty()) {
            throw new IllegalArgumentException("field " + name + " must have both tag and taggedVersions, or neither");
        }
        if (!tagged.isEmpty() && !tagged.equals(versions)) {
            // Kafka's specs only ever tag a field in all of its versions; supporting a field that
            // is tagged in some versions and positional in others is not worth the complexity.
            throw new IllegalArgumentException("field " + name + " is tagged in " + tagged + " but present in " + versions);
        }
        Versions nullable = Versions.parse((String) json.get("nullableVersions"), Versions.NONE);
        if (!nullable.isEmpty() && !type.isNullableKind()) {
            throw new IllegalArgumentException("field " + name + " of type " + type + " cannot be nullable");
        }
        Object def = json.get("default");
        Versions flexible = json.containsKey("flexibleVersions")
                ? Versions.parse((String) json.get("flexibleVersions"), null) : null;
        if (flexible != null && type != FieldType.Primitive.STRING && type != FieldType.Primitive.BYTES) {
            throw new IllegalArgumentException("field " + name + ": flexibleVersions only applies to strings and bytes");
        }
        List<FieldSpec> fields = null;
        if (json.containsKey("fields")) {
            fields = ((List<Object>) json.get("fields")).stream()
                    .map(f -> FieldSpec.parse((Map<String, Object>) f)).toList();
        }
        return new FieldSpec(name, type, versions, nullable, tagged, tag,
                def == null ? null : def.toString(),
                Boolean.TRUE.equals(json.get("ignorable")),
                (String) json.get("entityType"),
                Boolean.TRUE.equals(json.get("mapKey")),
                flexible,
                (String) json.get("about"),
                fields);
    }

    boolean isTagged() {
        return tag != null;
    }

    /** The field's name in Java: the spec name with its first letter lowered. */
    String camelName() {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** The struct type this field declares or references, directly or as its array's element. */
    FieldType.StructType structType() {
        if (type instanceof FieldType.StructType s) {
            return s;
        }
        if (type instanceof FieldType.ArrayType a && a.element() instanceof FieldType.StructType s) {
            return s;
        }
        return null;
    }
}
