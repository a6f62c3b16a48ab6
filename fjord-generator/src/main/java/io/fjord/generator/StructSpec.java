package io.fjord.generator;

import java.util.List;

/** A struct: the top-level message, a nested struct declared inline, or a common struct. */
record StructSpec(String name, Versions versions, List<FieldSpec> fields) {
}
