package io.fjord.generator;

import io.fjord.generator.FieldType.Primitive;

/** Writes a struct's isDefault, equals, hashCode and toString. */
final class ObjectMethodsGenerator {
    private final CodeWriter out;
    private final FieldValues values;

    ObjectMethodsGenerator(CodeWriter out, FieldValues values) {
        this.out = out;
        this.values = values;
    }

    void emitIsDefault(StructSpec struct) {
        out.line("/** True when every field holds its default, as a freshly constructed instance does. */");
        out.line("public boolean isDefault() {");
        out.line("if (_unknownTaggedFields != null && !_unknownTaggedFields.isEmpty()) {");
        out.line("return false;");
        out.line("}");
        for (FieldSpec f : struct.fields()) {
            out.line("if (%s) {", values.nonDefault(f, "this." + f.camelName()));
            out.line("return false;");
            out.line("}");
        }
        out.line("return true;");
        out.line("}");
    }

    void emitEquals(StructSpec struct) {
        out.line("@Override");
        out.line("public boolean equals(Object _o) {");
        out.line("if (this == _o) {");
        out.line("return true;");
        out.line("}");
        out.line("if (!(_o instanceof %s)) {", struct.name());
        out.line("return false;");
        out.line("}");
        out.line("%s _other = (%s) _o;", struct.name(), struct.name());
        for (FieldSpec f : struct.fields()) {
            String a = "this." + f.camelName();
            String b = "_other." + f.camelName();
            String differs;
            if (f.type() == Primitive.BYTES) {
                differs = "!Arrays.equals(" + a + ", " + b + ")";
            } else if (f.type() == Primitive.FLOAT64) {
                differs = "Double.compare(" + a + ", " + b + ") != 0";
            } else if (f.type() instanceof Primitive p && p != Primitive.UUID && p.fixedSize > 0) {
                differs = a + " != " + b;
            } else {
                differs = "!Objects.equals(" + a + ", " + b + ")";
            }
            out.line("if (%s) {", differs);
            out.line("return false;");
            out.line("}");
        }
        out.line("return MessageUtil.rawTaggedFieldsEqual(_unknownTaggedFields, _other._unknownTaggedFields);");
        out.line("}");
    }

    void emitHashCode(StructSpec struct) {
        out.line("@Override");
        out.line("public int hashCode() {");
        out.line("int _h = 0;");
        for (FieldSpec f : struct.fields()) {
            String a = "this." + f.camelName();
            String h;
            if (f.type() == Primitive.BYTES) {
                h = "Arrays.hashCode(" + a + ")";
            } else if (f.type() instanceof Primitive p && p != Primitive.UUID && p.fixedSize > 0) {
                h = p.boxedType + ".hashCode(" + a + ")";
            } else {
                h = "Objects.hashCode(" + a + ")";
            }
            out.line("_h = 31 * _h + %s;", h);
        }
        out.line("return _h;");
        out.line("}");
    }

    void emitToString(StructSpec struct) {
        out.line("@Override");
        out.line("public String toString() {");
        StringBuilder sb = new StringBuilder("return \"" + struct.name() + "(\"");
        boolean first = true;
        for (FieldSpec f : struct.fields()) {
            String a = "this." + f.camelName();
            String shown = f.type() == Primitive.BYTES
                    ? "(" + a + " == null ? \"null\" : " + a + ".length + \" bytes\")"
                    : a;
            sb.append("\n        + \"").append(first ? "" : ", ").append(f.camelName()).append("=\" + ").append(shown);
            first = false;
        }
        sb.append("\n        + \")\";");
        out.line(sb.toString());
        out.line("}");
    }
}
