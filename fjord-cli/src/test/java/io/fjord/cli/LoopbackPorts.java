package io.fjord.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1 for nodes that must know each other's ports before any of them starts
 * (controller.quorum.voters names them all). Each port is found by binding port 0; all of them stay
 * bound until the last is found, so one call never hands out the same port twice. Another program
 * could still take one between the release and the node's bind; the kernel hands out ephemeral
 * ports in rotation, so that is rare, and the node then fails to start with a clear error.
 */
final class LoopbackPorts {
    private LoopbackPorts() {
    }

    static int[] reserve(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only a port we no longer need
                }
            }
        }
    }
}
