package io.fjord.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One spec file: a request, response, header or data message. */
record MessageSpec(
        String name,
        String type,
        Short apiKey,
        Versions validVersions,
        Versions flexibleVersions,
        List<String> listeners,
        boolean latestVersionUnstable,
        StructSpec struct,
        List<StructSpec> commonStructs) {

    @SuppressWarnings("unchecked")
    static MessageSpec parse(Map<String, Object> json) {
        String name = (String) json.get("name");
        Versions valid = Versions.parse((String) json.get("validVersions"), null);
        if (valid == null || valid.highest() == Short.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": validVersions must be a closed range");
        }
        Versions flexible = Versions.parse((String) json.get("flexibleVersions"), Versions.NONE);
        List<FieldSpec> fields = new ArrayList<>();
        for (Object f : (List<Object>) json.getOrDefault("fields", List.of())) {
            fields.add(FieldSpec.parse((Map<String, Object>) f));
        }
        List<StructSpec> common = new ArrayList<>();
        for (Object c : (List<Object>) json.getOrDefault("commonStructs", List.of())) {
            Map<String, Object> cs = (Map<String, Object>) c;
            List<FieldSpec> csFields = ((List<Object>) cs.get("fields")).stream()
                    .map(f -> FieldSpec.parse((Map<String, Object>) f)).toList();
            common.add(new StructSpec((String) cs.get("name"),
                    Versions.parse((String) cs.get("versions"), Versions.ALL), csFields));
        }
        Object apiKey = json.get("apiKey");
        String type = (String) json.get("type");
        return new MessageSpec(name,
                type,
                apiKey == null ? null : Short.valueOf(apiKey.toString()),
                valid,
                flexible,
                (List<String>) json.getOrDefault("listeners", List.of()),
                Boolean.TRUE.equals(json.get("latestVersionUnstable")),
                new StructSpec(className(type, name), valid, fields),
                common);
    }

    private static String className(String type, String name) {
        return switch (type) {
            case "request", "response", "header" -> name + "Data";
            default -> name;
        };
    }

    /** Requests, responses and headers get a "Data" suffix, as in Kafka; data messages keep their name. */
    String className() {
        return className(type, name);
    }
}
