package io.fjord.server;

import io.fjord.network.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Kafka's listener lists ({@code NAME://host:port,...}) and listener maps ({@code NAME:VALUE,...}). */
final class Listeners {
    // Host may be empty (every interface), a name, an IPv4 address or a bracketed IPv6 address.
    private static final Pattern LISTENER = Pattern.compile("^([A-Za-z0-9_]+)://(\\[[0-9a-fA-F:.%]+]|[0-9a-zA-Z\\-._]*):([0-9]+)$");

    private Listeners() {
    }

    static List<Endpoint> parse(String key, String value) {
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            Matcher m = LISTENER.matcher(s);
            if (!m.matches()) {
                throw ConfigException.invalid(key, value, "'" + s + "' is not of the form NAME://host:port");
            }
            String name = m.group(1).toUpperCase(Locale.ROOT);
            String host = m.group(2);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw ConfigException.invalid(key, value, "port " + m.group(3) + " is not between 0 and 65535");
            }
            if (!names.add(name)) {
                throw ConfigException.invalid(key, value, "listener name " + name + " appears more than once");
            }
            endpoints.add(new Endpoint(name, host, port));
        }
        if (endpoints.isEmpty()) {
            throw ConfigException.invalid(key, value, "no listener given");
        }
        return endpoints;
    }

    /** A map such as {@code listener.security.protocol.map}: {@code NAME:VALUE} pairs, comma-separated. */
    static Map<String, String> parseMap(String key, String value) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.indexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw ConfigException.invalid(key, value, "'" + s + "' is not of the form NAME:VALUE");
            }
            String name = s.substring(0, colon).trim().toUpperCase(Locale.ROOT);
            if (map.put(name, s.substring(colon + 1).trim()) != null) {
                throw ConfigException.invalid(key, value, name + " appears more than once");
            }
        }
        return map;
    }
}
