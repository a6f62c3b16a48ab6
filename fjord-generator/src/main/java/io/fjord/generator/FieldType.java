package io.fjord.generator;

/** The type of a spec field: a primitive, an array of some type, or a named struct. */
sealed interface FieldType {

    enum Primitive implements FieldType {
        BOOL("bool", "boolean", "Boolean", 1),
        INT8("int8", "byte", "Byte", 1),
        INT16("int16", "short", "Short", 2),
        UINT16("uint16", "int", "Integer", 2),
        INT32("int32", "int", "Integer", 4),
        UINT32("uint32", "long", "Long", 4),
        INT64("int64", "long", "Long", 8),
        FLOAT64("float64", "double", "Double", 8),
        UUID("uuid", "UUID", "UUID", 16),
        STRING("string", "String", "String", -1),
        BYTES("bytes", "byte[]", "byte[]", -1),
        RECORDS("records", "BaseRecords", "BaseRecords", -1);

        final String specName;
        final String javaType;
        final String boxedType;
        /** Encoded size for fixed-size types, -1 for length-prefixed ones. */
        final int fixedSize;

        Primitive(String specName, String javaType, String boxedType, int fixedSize) {
            this.specName = specName;
            this.javaType = javaType;
            this.boxedType = boxedType;
            this.fixedSize = fixedSize;
        }

        boolean isNumber() {
            return this == INT8 || this == INT16 || this == UINT16 || this == INT32 || this == UINT32 || this == INT64;
        }

        @Override
        public String javaType() {
            return javaType;
        }

        @Override
        public String boxedType() {
            return boxedType;
        }
    }

    record ArrayType(FieldType element) implements FieldType {
        @Override
        public String javaType() {
            return "List<" + element.boxedType() + ">";
        }

        @Override
        public String boxedType() {
            return javaType();
        }
    }

    record StructType(String name) implements FieldType {
        @Override
        public String javaType() {
            return name;
        }

        @Override
        public String boxedType() {
            return name;
        }
    }

    String javaType();

    String boxedType();

    default boolean isNullableKind() {
        return this instanceof ArrayType || this instanceof StructType
                || this == Primitive.STRING || this == Primitive.BYTES || this == Primitive.RECORDS;
    }

    static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            FieldType element = parse(text.substring(2));
            if (element instanceof ArrayType) {
                throw new IllegalArgumentException("arrays of arrays are not part of the protocol: " + text);
            }
            return new ArrayType(element);
        }
        for (Primitive p : Primitive.values()) {
            if (p.specName.equals(text)) {
                return p;
            }
        }
        if (text.isEmpty() || !Character.isUpperCase(text.charAt(0))) {
            throw new IllegalArgumentException("unknown type '" + text + "'");
        }
        return new StructType(text);
    }
}
