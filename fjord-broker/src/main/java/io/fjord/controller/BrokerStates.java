package io.fjord.controller;

import io.fjord.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which brokers may hold leadership right now: registered and unfenced. */
record BrokerStates(Map<Integer, BrokerRegistration> brokers) {

    boolean alive(int id) {
        BrokerRegistration b = brokers.get(id);
        return b != null && !b.fenced();
    }

    boolean registered(int id) {
        return brokers.containsKey(id);
    }

    /** The replicas that cannot serve: on a fenced or unregistered broker, in replica order. */
    List<Integer> offline(List<Integer> replicas) {
        List<Integer> out = new ArrayList<>();
        for (int r : replicas) {
            if (!alive(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The unfenced brokers. */
    List<BrokerRegistration> usable() {
        return brokers.values().stream().filter(b -> !b.fenced()).toList();
    }
}
