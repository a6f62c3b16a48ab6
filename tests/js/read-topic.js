#!/usr/bin/env node
// Usage: node tests/js/read-topic.js <host:port> <topic> <partitions>
//
// Reads every partition of <topic> from offset 0 up to its high watermark with kafkajs's own Fetch
// request and record decoding, without a consumer group (kafkajs's consumer needs one, and groups
// are not there yet): the cluster object the kafkajs consumer uses internally, its partition-leader
// lookup and its Broker.fetch. Prints one JSON line on stdout:
//   {"highWatermarks":{"0":"12"},"records":[{"p":0,"o":"0","k":<base64|null>,"v":<base64|null>,
//     "h":[["name",[<base64>,...]],...],"t":"1650000000000"},...]}
// Records are in offset order per partition. Exit status 0 on success; on failure the error on
// stderr and exit status 1.
'use strict';

const { UsageError, failWith, kafkaFor, positiveInt, exitAfter } = require('./common');

const NAME = 'read-topic';
const READ_UNCOMMITTED = 0;

function createCluster(kafka) {
  // kafkajs keeps its cluster factory behind a symbol; it is the one its consumer and admin use.
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!factory) {
    throw new Error('this kafkajs version has no private:Kafka:createCluster; update read-topic.js');
  }
  return kafka[factory]({ allowAutoTopicCreation: false });
}

const b64 = (buffer) => (buffer === null || buffer === undefined ? null : Buffer.from(buffer).toString('base64'));

async function main(argv) {
  if (argv.length !== 5) {
    throw new UsageError('usage: node read-topic.js <host:port> <topic> <partitions>');
  }
  const [target, topic] = [argv[2], argv[3]];
  const partitions = positiveInt(argv[4], 'partitions');
  const kafka = kafkaFor(target, 'fjord-read-topic');

  const admin = kafka.admin();
  await admin.connect();
  const highWatermarks = {};
  try {
    for (const o of await admin.fetchTopicOffsets(topic)) {
      highWatermarks[o.partition] = o.high;
    }
  } finally {
    await admin.disconnect();
  }

  const cluster = createCluster(kafka);
  await cluster.connect();
  const records = [];
  try {
    await cluster.addTargetTopic(topic);
    const leaders = cluster.findLeaderForPartitions(topic, [...Array(partitions).keys()]);
    for (const [leader, leaderPartitions] of Object.entries(leaders)) {
      const broker = await cluster.findBroker({ nodeId: leader });
      for (const partition of leaderPartitions) {
        const high = BigInt(highWatermarks[partition]);
        let next = 0n;
        while (next < high) {
          const response = await broker.fetch({
            replicaId: -1,
            isolationLevel: READ_UNCOMMITTED,
            maxWaitTime: 100,
            minBytes: 1,
            maxBytes: 1048576,
            topics: [{ topic, partitions: [{ partition, fetchOffset: next.toString(), maxBytes: 65536 }] }],
          });
          const data = response.responses[0].partitions[0];
          if (data.errorCode !== 0) {
            throw new Error(`fetch of ${topic}-${partition} at ${next}: error code ${data.errorCode}`);
          }
          const fetched = data.messages.filter((m) => BigInt(m.offset) >= next);
          if (fetched.length === 0) {
            throw new Error(`fetch of ${topic}-${partition} at ${next} returned no records below ${high}`);
          }
          for (const m of fetched) {
            records.push({
              p: partition,
              o: m.offset,
              k: b64(m.key),
              v: b64(m.value),
              h: Object.entries(m.headers).map(([name, v]) => [name, (Array.isArray(v) ? v : [v]).map(b64)]),
              t: m.timestamp,
            });
            next = BigInt(m.offset) + 1n;
          }
        }
      }
    }
  } finally {
    await cluster.disconnect();
  }
  process.stdout.write(`${JSON.stringify({ highWatermarks, records })}\n`);
}

exitAfter(30000, NAME);
main(process.argv).then(() => { process.exitCode = 0; }, failWith(NAME));
