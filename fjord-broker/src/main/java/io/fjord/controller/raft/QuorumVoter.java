package io.fjord.controller.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One entry of {@code controller.quorum.voters}: a controller's node id and the address of its quorum port. */
public record QuorumVoter(int id, String host, int port) {

    /** The address Ratis dials, {@code host:port} (IPv6 literals bracketed). */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Parses Kafka's {@code id@host:port,id@host:port,...}; an empty value is an empty list.
     *
     * @throws IllegalArgumentException with a message fit for the user when an entry is malformed
     */
    public static List<QuorumVoter> parseList(String value) {
        List<QuorumVoter> voters = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int at = s.indexOf('@');
            int colon = s.lastIndexOf(':');
            if (at <= 0 || colon <= at + 1 || colon == s.length() - 1) {
                throw new IllegalArgumentException("'" + s + "' is not of the form id@host:port");
            }
            int id;
            int port;
            try {
                id = Integer.parseInt(s.substring(0, at));
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not of the form id@host:port");
            }
            String host = s.substring(at + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (id < 0) {
                throw new IllegalArgumentException("'" + s + "' has a negative node id");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + s + "' has port " + port + ", which is not between 1 and 65535");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("node id " + id + " appears more than once");
            }
            voters.add(new QuorumVoter(id, host, port));
        }
        return List.copyOf(voters);
    }
}
