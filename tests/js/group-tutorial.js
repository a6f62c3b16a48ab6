#!/usr/bin/env node
// Usage: node tests/js/group-tutorial.js <host:port> <topic>
//
// The kafkajs "getting started" flow against a node, with kafkajs's own consumer groups (classic
// protocol: JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch, LeaveGroup):
//   1. the admin creates <topic> with 2 partitions; a producer writes 10 records to each partition,
//      naming the partition explicitly (value "first-<partition>-<n>");
//   2. one consumer in group <topic>-a and one in group <topic>-b, both at once, each subscribed
//      fromBeginning, read until they have 20 records;
//   3. two consumers in group <topic>-split read until both hold one partition each in the same
//      generation; then the admin describes the group;
//   4. a consumer in group <topic>-resume reads the 20 records, committing each one explicitly,
//      and disconnects; the admin fetches the group's committed offsets; the producer writes 4 more
//      records per partition ("second-<partition>-<n>"); a new consumer in the same group, again
//      subscribed fromBeginning, reads until it has 8 records and then for one more second.
// Prints one JSON line on stdout (records are [partition, offset, value]):
//   {"produced":[[0,"0","first-0-0"],...],
//    "groups":{"a":{"records":[...]},"b":{"records":[...]}},
//    "split":{"members":[{"memberId":"...","generationJoins":[[0],[0,1]...],"records":[...]},...],
//             "described":{"state":"Stable","protocol":"RoundRobinAssigner","members":[{"memberId":"...","partitions":[0]}]}},
//    "resume":{"firstRun":[...],"committed":[{"partition":0,"offset":"10"},...],"secondRun":[...]}}
// Exit status 0 on success; on any failure the error on stderr and exit status 1.
'use strict';

const { AssignerProtocol } = require('kafkajs');
const { UsageError, failWith, kafkaFor, exitAfter, RETRY } = require('./common');

const NAME = 'group-tutorial';
const PARTITIONS = 2;
const FIRST_PER_PARTITION = 10;
const SECOND_PER_PARTITION = 4;
/**
 * Consumer settings: short heartbeats so rebalances are noticed quickly; the rebalance timeout
 * stays kafkajs's default (60 s), longer than this script may run, so a join that waits for it fails.
 */
const CONSUMER = {
  sessionTimeout: 6000,
  heartbeatInterval: 300,
  maxWaitTimeInMs: 200,
  retry: RETRY,
  allowAutoTopicCreation: false,
};

const started = Date.now();
/** Progress on stderr, so that a timeout says which step hung. */
const step = (text) => process.stderr.write(`${NAME} +${Date.now() - started} ms: ${text}\n`);

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Resolves once check() holds, polling every 20 ms; rejects after timeoutMs with what. */
async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(20);
  }
}

/**
 * A started consumer in `groupId` subscribed to `topic` from the beginning, collecting what it
 * reads as [partition, offset, value] and every assignment it gets (one per generation joined).
 */
async function startConsumer(kafka, groupId, topic, options = {}) {
  const consumer = kafka.consumer({ groupId, ...CONSUMER, ...options.consumer });
  const state = { consumer, records: [], joins: [], memberId: null };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    state.memberId = payload.memberId;
    state.joins.push([...(payload.memberAssignment[topic] || [])].sort((x, y) => x - y));
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: options.autoCommit !== false,
    eachMessage: async ({ partition, message }) => {
      state.records.push([partition, message.offset, message.value.toString()]);
      if (options.afterEach) {
        await options.afterEach(consumer, partition, message);
      }
    },
  });
  return state;
}

async function produce(producer, topic, prefix, perPartition) {
  const acks = [];
  for (let n = 0; n < perPartition; n++) {
    for (let p = 0; p < PARTITIONS; p++) {
      const value = `${prefix}-${p}-${n}`;
      const [ack] = await producer.send({ topic, acks: -1, messages: [{ partition: p, value }] });
      if (ack.errorCode !== 0) {
        throw new Error(`producing ${value}: error code ${ack.errorCode}`);
      }
      acks.push([p, ack.baseOffset, value]);
    }
  }
  return acks;
}

async function main(argv) {
  if (argv.length !== 4) {
    throw new UsageError('usage: node group-tutorial.js <host:port> <topic>');
  }
  const [target, topic] = [argv[2], argv[3]];
  const kafka = kafkaFor(target, 'fjord-group-tutorial');
  const answer = {};
  const first = PARTITIONS * FIRST_PER_PARTITION;

  const admin = kafka.admin({ retry: RETRY });
  await admin.connect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: RETRY });
  await producer.connect();
  try {
    step('1. create the topic, produce');
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true, timeout: 5000,
    });
    if (!created) {
      throw new Error(`topic ${topic} already existed`);
    }
    answer.produced = await produce(producer, topic, 'first', FIRST_PER_PARTITION);

    step('2. groups a and b read everything');
    const [a, b] = await Promise.all([
      startConsumer(kafka, `${topic}-a`, topic),
      startConsumer(kafka, `${topic}-b`, topic),
    ]);
    try {
      await waitFor(`groups a and b to read ${first} records each`,
        () => a.records.length >= first && b.records.length >= first, 15000);
    } finally {
      await Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]);
    }
    answer.groups = { a: { records: a.records }, b: { records: b.records } };

    step('3. two members split the partitions');
    const one = await startConsumer(kafka, `${topic}-split`, topic);
    const two = await startConsumer(kafka, `${topic}-split`, topic);
    try {
      const split = () => {
        const x = one.joins[one.joins.length - 1];
        const y = two.joins[two.joins.length - 1];
        return x && y && x.length === 1 && y.length === 1 && x[0] !== y[0];
      };
      await waitFor('both members to hold one partition each', split, 20000);
      const described = (await admin.describeGroups([`${topic}-split`])).groups[0];
      answer.split = {
        members: [one, two].map((m) => ({ memberId: m.memberId, generationJoins: m.joins, records: m.records })),
        described: {
          state: described.state,
          protocol: described.protocol,
          members: described.members.map((m) => {
            const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
            return { memberId: m.memberId, partitions: (assignment ? assignment.assignment[topic] || [] : []) };
          }),
        },
      };
    } finally {
      await Promise.all([one.consumer.disconnect(), two.consumer.disconnect()]);
    }

    step('4. commit, stop, come back');
    const commitEach = async (consumer, partition, message) => {
      const next = (BigInt(message.offset) + 1n).toString();
      await consumer.commitOffsets([{ topic, partition, offset: next }]);
    };
    const firstRun = await startConsumer(kafka, `${topic}-resume`, topic, { autoCommit: false, afterEach: commitEach });
    try {
      await waitFor(`the first run to read ${first} records`, () => firstRun.records.length >= first, 15000);
    } finally {
      await firstRun.consumer.disconnect();
    }
    const committed = await admin.fetchOffsets({ groupId: `${topic}-resume`, topics: [topic] });
    const more = await produce(producer, topic, 'second', SECOND_PER_PARTITION);
    answer.produced.push(...more);
    step('4. second run');
    const secondRun = await startConsumer(kafka, `${topic}-resume`, topic);
    try {
      await waitFor(`the second run to read ${more.length} records`, () => secondRun.records.length >= more.length, 15000);
      await sleep(1000); // anything read twice would come now
    } finally {
      await secondRun.consumer.disconnect();
    }
    answer.resume = {
      firstRun: firstRun.records,
      committed: committed[0].partitions.map((p) => ({ partition: p.partition, offset: p.offset }))
        .sort((x, y) => x.partition - y.partition),
      secondRun: secondRun.records,
    };
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

exitAfter(40000, NAME);
main(process.argv).then(() => { process.exitCode = 0; }, failWith(NAME));
