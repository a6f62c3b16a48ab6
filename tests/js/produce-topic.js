#!/usr/bin/env node
// Usage: node tests/js/produce-topic.js <host:port> <topic> <partitions> <count>
//
// With the kafkajs admin client: creates <topic> (<partitions> partitions, retention.ms=86400000),
// tries to create it again, describes it and its configs; creates a scratch topic, alters its configs
// with AlterConfigs (which replaces them all) and deletes it. Then
// writes records 0..count-1 (see recordFor in common.js: explicit partitions, keys, headers and
// timestamps, nulls included) in four ways: send(), send() with GZIP, sendBatch(), and send() from an
// idempotent producer. Finally asks the node for the topic's offsets (ListOffsets) and prints one
// JSON line on stdout:
//   {"created":true,"createdAgain":false,"metadata":[...],"configs":{...},"scratchConfigsAfterAlter":{...},
//    "scratchDeleted":true,
//    "acks":[{"partition":0,"baseOffset":"0","errorCode":0},...],"offsets":[...],"offsetsByTimestamp":[...]}
// Exit status 0 on success; on any failure the error on stderr and exit status 1.
'use strict';

const { CompressionTypes, ConfigResourceTypes } = require('kafkajs');
const { UsageError, failWith, kafkaFor, positiveInt, recordFor, exitAfter, RETRY } = require('./common');

const NAME = 'produce-topic';

async function main(argv) {
  if (argv.length !== 6) {
    throw new UsageError('usage: node produce-topic.js <host:port> <topic> <partitions> <count>');
  }
  const [target, topic] = [argv[2], argv[3]];
  const partitions = positiveInt(argv[4], 'partitions');
  const count = positiveInt(argv[5], 'count');
  const kafka = kafkaFor(target, 'fjord-produce-topic');
  const answer = {};

  const admin = kafka.admin({ retry: RETRY });
  await admin.connect();
  try {
    const spec = {
      topic,
      numPartitions: partitions,
      replicationFactor: 1,
      configEntries: [{ name: 'retention.ms', value: '86400000' }],
    };
    answer.created = await admin.createTopics({ topics: [spec], waitForLeaders: true, timeout: 5000 });
    answer.createdAgain = await admin.createTopics({ topics: [spec], waitForLeaders: true, timeout: 5000 });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    answer.metadata = metadata.topics[0].partitions
      .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
      .sort((a, b) => a.partition - b.partition);
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    answer.configs = {};
    for (const entry of described.resources[0].configEntries) {
      answer.configs[entry.configName] = { value: entry.configValue, isDefault: entry.isDefault };
    }

    // AlterConfigs (not incremental): the entries given replace all of the topic's own configs
    const scratch = `${topic}-scratch`;
    await admin.createTopics({
      topics: [{ topic: scratch, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '86400000' }] }],
      waitForLeaders: true,
      timeout: 5000,
    });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: scratch, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    const altered = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: scratch, configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    answer.scratchConfigsAfterAlter = {};
    for (const entry of altered.resources[0].configEntries) {
      answer.scratchConfigsAfterAlter[entry.configName] = { value: entry.configValue, isDefault: entry.isDefault };
    }
    await admin.deleteTopics({ topics: [scratch], timeout: 5000 });
    const names = await admin.listTopics();
    answer.scratchDeleted = names.includes(topic) && !names.includes(scratch);

    const messages = [];
    for (let i = 0; i < count; i++) {
      messages.push(recordFor(i, partitions));
    }
    const quarter = Math.ceil(count / 4);
    const parts = [0, 1, 2, 3].map((q) => messages.slice(q * quarter, (q + 1) * quarter));
    const acks = [];
    const collect = (results) => results.forEach((r) => acks.push({
      partition: r.partition, baseOffset: r.baseOffset, errorCode: r.errorCode,
    }));

    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: RETRY });
    await producer.connect();
    try {
      // one message per call keeps the order across partitions simple to check
      for (const message of parts[0]) {
        collect(await producer.send({ topic, acks: -1, messages: [message] }));
      }
      collect(await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: parts[1] }));
      collect(await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: parts[2] }] }));
    } finally {
      await producer.disconnect();
    }
    const idempotent = kafka.producer({
      allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1, retry: RETRY,
    });
    await idempotent.connect();
    try {
      collect(await idempotent.send({ topic, acks: -1, messages: parts[3] }));
    } finally {
      await idempotent.disconnect();
    }
    answer.acks = acks;

    answer.offsets = (await admin.fetchTopicOffsets(topic))
      .map((o) => ({ partition: o.partition, offset: o.offset, high: o.high, low: o.low }))
      .sort((a, b) => a.partition - b.partition);
    // record i has timestamp BASE + i s: ask for the time of record 5 plus one ms
    const ts = Number(recordFor(5, partitions).timestamp) + 1;
    answer.offsetsByTimestamp = (await admin.fetchTopicOffsetsByTimestamp(topic, ts))
      .map((o) => ({ partition: o.partition, offset: o.offset }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

exitAfter(30000, NAME);
main(process.argv).then(() => { process.exitCode = 0; }, failWith(NAME));
