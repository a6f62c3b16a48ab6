package io.fjord.generator;

import io.fjord.generator.FieldType.ArrayType;
import io.fjord.generator.FieldType.Primitive;
import io.fjord.generator.FieldType.StructType;
import io.fjord.protocol.BaseRecords;
import io.fjord.protocol.MemoryRecords;
import io.fjord.protocol.Message;
import io.fjord.protocol.RawTaggedField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Builds random instances of generated message classes for one version, guided by the spec: only
 * fields the version has are set, nulls only where the version allows them, tagged fields left at
 * their default half the time, and unknown tagged fields mixed in where the version is flexible.
 */
final class RandomMessages {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz-._ABC0123456789éø漢🙂";

    private final MessageSpec spec;
    private final Map<String, StructSpec> structs;
    private final Class<?> topClass;
    private final Random random;

    RandomMessages(MessageSpec spec, Class<?> topClass, long seed) {
        this.spec = spec;
        this.structs = StructRegistry.of(spec);
        this.topClass = topClass;
        this.random = new Random(seed);
    }

    Message build(short version) throws ReflectiveOperationException {
        return build(topClass, spec.struct(), version, 0);
    }

    private Message build(Class<?> cls, StructSpec struct, short version, int depth) throws ReflectiveOperationException {
        Message message = (Message) cls.getConstructor().newInstance();
        for (FieldSpec f : struct.fields()) {
            if (!f.versions().contains(version) || (f.isTagged() && random.nextBoolean())) {
                continue;
            }
            boolean nullable = f.nullableVersions().contains(version);
            Object value = value(f.type(), nullable, version, depth);
            cls.getMethod("set" + f.name(), javaClass(f.type())).invoke(message, value);
        }
        if (spec.flexibleVersions().contains(version) && random.nextInt(3) == 0) {
            Set<Integer> known = struct.fields().stream().filter(FieldSpec::isTagged).map(FieldSpec::tag)
                    .collect(Collectors.toSet());
            TreeSet<Integer> tags = new TreeSet<>();
            for (int i = random.nextInt(3) + 1; i > 0; i--) {
                int tag = random.nextInt(12);
                if (!known.contains(tag)) {
                    tags.add(tag);
                }
            }
            for (int tag : tags) {
                message.unknownTaggedFields().add(new RawTaggedField(tag, bytes(6)));
            }
        }
        return message;
    }

    private Object value(FieldType type, boolean nullable, short version, int depth) throws ReflectiveOperationException {
        if (nullable && random.nextInt(5) == 0) {
            return null;
        }
        if (type instanceof Primitive p) {
            return switch (p) {
                case BOOL -> random.nextBoolean();
                case INT8 -> (byte) random.nextInt();
                case INT16 -> (short) random.nextInt();
                case UINT16 -> random.nextInt(65536);
                case INT32 -> random.nextInt() >> random.nextInt(32);
                case UINT32 -> random.nextLong() & 0xffffffffL;
                case INT64 -> random.nextLong() >> random.nextInt(64);
                case FLOAT64 -> random.nextDouble() * 1e6;
                case UUID -> new UUID(random.nextLong(), random.nextLong());
                case STRING -> string();
                case BYTES -> bytes(random.nextInt(12));
                case RECORDS -> MemoryRecords.of(bytes(random.nextInt(40)));
            };
        }
        if (type instanceof ArrayType a) {
            List<Object> list = new ArrayList<>();
            int n = depth > 3 ? 0 : random.nextInt(4);
            for (int i = 0; i < n; i++) {
                list.add(value(a.element(), false, version, depth + 1));
            }
            return list;
        }
        StructType s = (StructType) type;
        StructSpec struct = structs.get(s.name());
        return build(structClass(s.name()), struct, version, depth + 1);
    }

    private String string() {
        int n = random.nextInt(10);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp = ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length()))));
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Class<?> structClass(String name) throws ClassNotFoundException {
        return Class.forName(topClass.getName() + "$" + name);
    }

    private Class<?> javaClass(FieldType type) throws ClassNotFoundException {
        if (type instanceof ArrayType) {
            return List.class;
        }
        if (type instanceof StructType s) {
            return structClass(s.name());
        }
        return switch ((Primitive) type) {
            case BOOL -> boolean.class;
            case INT8 -> byte.class;
            case INT16 -> short.class;
            case UINT16, INT32 -> int.class;
            case UINT32, INT64 -> long.class;
            case FLOAT64 -> double.class;
            case UUID -> UUID.class;
            case STRING -> String.class;
            case BYTES -> byte[].class;
            case RECORDS -> BaseRecords.class;
        };
    }
}
