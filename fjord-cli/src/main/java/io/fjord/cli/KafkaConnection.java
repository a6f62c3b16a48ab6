package io.fjord.cli;

import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.message.ApiKey;
import io.fjord.replication.BrokerConnection;
import java.io.IOException;
import java.time.Duration;

/**
 * The command-line tools' connection to a node: the broker's own blocking Kafka-protocol client
 * ({@link BrokerConnection}, Fjord's generated codecs, so the CLI needs no kafka-clients at runtime),
 * with the tools' identity and limits. One request at a time: the tools ask a handful of questions and
 * print the answers. Right after connecting it asks ApiVersions, so every later request can go out in
 * the highest version both sides know ({@link #version}).
 */
final class KafkaConnection implements AutoCloseable {
    /** Larger answers than this are not what a broker sends to these requests; refuse rather than allocate. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final String CLIENT_ID = "fjord-cli";

    private final BrokerConnection connection;

    private KafkaConnection(BrokerConnection connection) {
        this.connection = connection;
    }

    /**
     * Connects to {@code host:port} and learns its API versions.
     *
     * @param timeout bounds the connect and each answer
     * @throws IOException when the node cannot be reached, hangs up, or answers something unreadable
     */
    static KafkaConnection open(String host, int port, Duration timeout) throws IOException {
        int ms = (int) timeout.toMillis();
        return new KafkaConnection(BrokerConnection.open(host, port, ms, ms, CLIENT_ID, CLIENT_ID, MAX_RESPONSE_BYTES));
    }

    String address() {
        return connection.address();
    }

    /**
     * The highest version of {@code key} that both this code and the node support and that is at
     * least {@code atLeast}, or -1 when there is none (the node does not offer the API at all, or
     * only older versions than the caller can use).
     */
    short version(ApiKey key, short atLeast) {
        return connection.version(key, atLeast, Short.MAX_VALUE);
    }

    /** Sends {@code request} as {@code version} of {@code key} and returns the decoded answer. */
    <T extends ApiMessage> T send(ApiKey key, short version, ApiMessage request) throws IOException {
        return connection.send(key, version, request);
    }

    /** Kafka's name of an error code, e.g. NOT_CONTROLLER, or the bare number for a code we do not know. */
    static String errorName(short code) {
        return BrokerConnection.errorName(code);
    }

    @Override
    public void close() {
        connection.close();
    }
}
