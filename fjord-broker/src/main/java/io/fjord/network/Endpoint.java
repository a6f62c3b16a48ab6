package io.fjord.network;

/**
 * A listener address as Kafka writes it: {@code NAME://host:port}. An empty host means every
 * interface; port 0 means an ephemeral port chosen when the listener binds.
 */
public record Endpoint(String listenerName, String host, int port) {

    public Endpoint withPort(int newPort) {
        return new Endpoint(listenerName, host, newPort);
    }

    @Override
    public String toString() {
        // IPv6 literals need brackets or the port would read as part of the address.
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return listenerName + "://" + h + ":" + port;
    }
}
