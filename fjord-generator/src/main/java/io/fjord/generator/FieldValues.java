package io.fjord.generator;

import io.fjord.generator.FieldType.ArrayType;
import io.fjord.generator.FieldType.Primitive;
import io.fjord.generator.FieldType.StructType;

/**
 * Java expressions for a field's values: the literal its default is, and the test for "holds
 * something other than its default", which decides whether tagged fields are written and whether a
 * field a version lacks may be dropped.
 */
final class FieldValues {
    private final String specName;

    FieldValues(String specName) {
        this.specName = specName;
    }

    String defaultValue(FieldSpec f) {
        String d = f.defaultValue();
        FieldType type = f.type();
        if (type instanceof ArrayType a) {
            if ("null".equals(d)) {
                return "null";
            }
            return "new ArrayList<" + a.element().boxedType() + ">(0)";
        }
        if (type instanceof StructType s) {
            return "null".equals(d) ? "null" : "new " + s.name() + "()";
        }
        Primitive p = (Primitive) type;
        return switch (p) {
            case BOOL -> d == null ? "false" : Boolean.toString(Boolean.parseBoolean(d));
            case INT8 -> "(byte) " + parseInteger(f, d, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> "(short) " + parseInteger(f, d, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> Long.toString(parseInteger(f, d, 0, 65535));
            case INT32 -> Long.toString(parseInteger(f, d, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> parseInteger(f, d, 0, 0xffffffffL) + "L";
            case INT64 -> parseInteger(f, d, Long.MIN_VALUE, Long.MAX_VALUE) + "L";
            case FLOAT64 -> d == null ? "0.0" : Double.toString(Double.parseDouble(d));
            case UUID -> {
                if (d != null && !d.isEmpty()) {
                    throw new IllegalArgumentException(specName + ": uuid defaults are not supported (" + f.name() + ")");
                }
                yield "MessageUtil.ZERO_UUID";
            }
            case STRING -> d == null ? "\"\"" : "null".equals(d) ? "null" : quote(d);
            case BYTES -> "null".equals(d) ? "null" : "MessageUtil.EMPTY_BYTES";
            case RECORDS -> "null".equals(d) || !f.nullableVersions().isEmpty() ? "null" : "MemoryRecords.EMPTY";
        };
    }

    private long parseInteger(FieldSpec f, String d, long min, long max) {
        if (d == null || d.isEmpty()) {
            return 0;
        }
        long v = d.startsWith("0x") || d.startsWith("0X") ? Long.parseLong(d.substring(2), 16) : Long.parseLong(d);
        if (v < min || v > max) {
            throw new IllegalArgumentException(specName + ": default " + d + " of " + f.name() + " is out of range");
        }
        return v;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A Java expression that is true when the field holds something other than its default. */
    String nonDefault(FieldSpec f, String value) {
        String d = defaultValue(f);
        FieldType type = f.type();
        if (type instanceof ArrayType) {
            return d.equals("null") ? value + " != null" : "(" + value + " == null || !" + value + ".isEmpty())";
        }
        if (type instanceof StructType) {
            return d.equals("null") ? value + " != null" : "(" + value + " == null || !" + value + ".isDefault())";
        }
        return switch ((Primitive) type) {
            case FLOAT64 -> "Double.compare(" + value + ", " + d + ") != 0";
            case UUID -> "!" + d + ".equals(" + value + ")";
            case STRING -> d.equals("null") ? value + " != null" : "!" + d + ".equals(" + value + ")";
            case BYTES -> d.equals("null") ? value + " != null" : "(" + value + " == null || " + value + ".length != 0)";
            case RECORDS -> d.equals("null") ? value + " != null" : "(" + value + " == null || " + value + ".sizeInBytes() != 0)";
            default -> value + " != " + d;
        };
    }
}
