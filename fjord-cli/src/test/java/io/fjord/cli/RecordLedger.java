package io.fjord.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What producers sent and what the cluster acknowledged, per producer and partition, for checking a
 * topic's contents afterwards. Each record's value names it: {@code producer:partition:sequence},
 * the sequence counting that producer's sends to that partition from 0. Acknowledgements are kept
 * in the order their callbacks ran, which for one producer and partition is the send order (Kafka
 * completes a partition's batches in order).
 */
final class RecordLedger {
    /** A record's identity, parsed back from its value. */
    record Id(int producer, int partition, int sequence) {
        @Override
        public String toString() {
            return producer + ":" + partition + ":" + sequence;
        }
    }

    /** One acknowledged send: its sequence and the offset the acknowledgement gave (-1 if none). */
    record Ack(int sequence, long offset) {
    }

    private final int producers;
    private final int partitions;
    /** sent[producer][partition]: sequences 0..sent-1 were handed to the producer. */
    private final int[][] sent;
    private final List<List<List<Ack>>> acked = new ArrayList<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final List<String> firstErrors = new ArrayList<>();
    private final AtomicLong sentTotal = new AtomicLong();
    private final AtomicLong ackedTotal = new AtomicLong();

    RecordLedger(int producers, int partitions) {
        this.producers = producers;
        this.partitions = partitions;
        this.sent = new int[producers][partitions];
        for (int p = 0; p < producers; p++) {
            List<List<Ack>> perPartition = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                perPartition.add(new ArrayList<>());
            }
            acked.add(perPartition);
        }
    }

    static String value(int producer, int partition, int sequence) {
        return producer + ":" + partition + ":" + sequence;
    }

    /** The identity in a value, or null when the value is not one {@link #value} makes. */
    static Id parse(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(":");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Id(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Takes the next sequence of {@code producer} for {@code partition}, before the record is handed to send(). */
    synchronized int nextSequence(int producer, int partition) {
        sentTotal.incrementAndGet();
        return sent[producer][partition]++;
    }

    synchronized void acked(int producer, int partition, int sequence, long offset) {
        acked.get(producer).get(partition).add(new Ack(sequence, offset));
        ackedTotal.incrementAndGet();
    }

    /** A send that failed, in its callback or in send() itself: counted by exception class. */
    synchronized void failed(Id id, Exception error) {
        errors.merge(error.getClass().getSimpleName(), 1L, Long::sum);
        if (firstErrors.size() < 10) {
            firstErrors.add(id + ": " + error);
        }
    }

    synchronized int sent(int producer, int partition) {
        return sent[producer][partition];
    }

    synchronized List<Ack> acked(int producer, int partition) {
        return List.copyOf(acked.get(producer).get(partition));
    }

    long sentTotal() {
        return sentTotal.get();
    }

    long ackedTotal() {
        return ackedTotal.get();
    }

    synchronized Map<String, Long> errors() {
        return new TreeMap<>(errors);
    }

    synchronized List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    int producers() {
        return producers;
    }

    int partitions() {
        return partitions;
    }
}
