#!/usr/bin/env node
// Usage: node tests/js/describe-cluster.js <host:port>
//
// Connects to a Kafka-compatible node with the kafkajs admin client, asks DescribeCluster, and prints
// one JSON line on stdout:
//   {"clusterId":"...","controller":1,"brokers":[{"nodeId":1,"host":"localhost","port":9092}]}
// Exit status 0 on success. On any failure: the error on stderr and exit status 1. Timeouts are short
// and retries few, so a node that is not there fails the call within a few seconds.
'use strict';

const { Kafka, logLevel } = require('kafkajs');

const OVERALL_DEADLINE_MS = 15000;

class UsageError extends Error {}

function fail(err) {
  const text = err instanceof UsageError || !(err && err.stack) ? String(err && err.message || err) : err.stack;
  process.stderr.write(`describe-cluster: ${text}\n`);
  process.exit(1);
}

// kafkajs logs its own retries and connection errors at ERROR level; keep them, one line each, on
// stderr, so stdout holds only the answer.
function stderrLogger() {
  return ({ namespace, label, log }) => {
    const { message, timestamp, logger, stack, ...extra } = log;
    const details = Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
    process.stderr.write(`kafkajs ${label} [${namespace}] ${message}${details}\n`);
  };
}

async function main(argv) {
  const target = argv[2];
  if (!target || argv.length > 3 || !/^[^\s:]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/.test(target)) {
    throw new UsageError('usage: node describe-cluster.js <host:port>');
  }

  const kafka = new Kafka({
    clientId: 'fjord-describe-cluster',
    brokers: [target],
    connectionTimeout: 2000,
    authenticationTimeout: 2000,
    requestTimeout: 5000,
    enforceRequestTimeout: true,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.ERROR,
    logCreator: stderrLogger,
  });
  const admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } });

  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const brokers = cluster.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port }))
      .sort((a, b) => a.nodeId - b.nodeId);
    const answer = { clusterId: cluster.clusterId, controller: cluster.controller, brokers };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } finally {
    await admin.disconnect();
  }
}

setTimeout(() => fail(new Error(`no answer within ${OVERALL_DEADLINE_MS} ms`)), OVERALL_DEADLINE_MS).unref();

main(process.argv).then(
  () => { process.exitCode = 0; },
  fail,
);
