package io.fjord.controller;

import io.fjord.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which brokers may take leadership or ISR membership right now: registered, unfenced and not in
 * controlled shutdown. A broker in controlled shutdown still serves (it is not offline), it just
 * gets nothing new.
 */
record BrokerStates(Map<Integer, BrokerRegistration> brokers) {

    /** Whether {@code id} may be elected leader or join an ISR. */
    boolean alive(int id) {
        BrokerRegistration b = brokers.get(id);
        return b != null && b.usable();
    }

    /** Whether {@code id} is registered and in controlled shutdown. */
    boolean shuttingDown(int id) {
        BrokerRegistration b = brokers.get(id);
        return b != null && b.inControlledShutdown();
    }

    boolean registered(int id) {
        return brokers.containsKey(id);
    }

    /** The replicas that cannot serve: on a fenced or unregistered broker, in replica order. */
    List<Integer> offline(List<Integer> replicas) {
        List<Integer> out = new ArrayList<>();
        for (int r : replicas) {
            BrokerRegistration b = brokers.get(r);
            if (b == null || b.fenced()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The brokers new replicas may go to. */
    List<BrokerRegistration> usable() {
        return brokers.values().stream().filter(BrokerRegistration::usable).toList();
    }
}
