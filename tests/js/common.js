// Shared plumbing for the kafkajs check scripts: one way to fail, to log, to build a client, and the
// records both the scripts and the Java tests derive from an index (see recordFor).
'use strict';

const { Kafka, logLevel } = require('kafkajs');

class UsageError extends Error {}

function failWith(name) {
  return (err) => {
    const text = err instanceof UsageError || !(err && err.stack) ? String((err && err.message) || err) : err.stack;
    process.stderr.write(`${name}: ${text}\n`);
    process.exit(1);
  };
}

// kafkajs logs retries and connection errors at ERROR level; one line each on stderr, so that stdout
// holds only the answer.
function stderrLogger() {
  return ({ namespace, label, log }) => {
    const { message, timestamp, logger, stack, ...extra } = log;
    const details = Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
    process.stderr.write(`kafkajs ${label} [${namespace}] ${message}${details}\n`);
  };
}

const RETRY = { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 };

function kafkaFor(target, clientId) {
  if (!/^[^\s:]+:\d+$/.test(target || '')) {
    throw new UsageError(`not a host:port: ${target}`);
  }
  return new Kafka({
    clientId,
    brokers: [target],
    connectionTimeout: 2000,
    authenticationTimeout: 2000,
    requestTimeout: 5000,
    enforceRequestTimeout: true,
    retry: RETRY,
    logLevel: logLevel.ERROR,
    logCreator: stderrLogger,
  });
}

function positiveInt(text, what) {
  if (!/^\d+$/.test(text || '') || Number(text) <= 0) {
    throw new UsageError(`${what} must be a positive integer, not ${text}`);
  }
  return Number(text);
}

// Record i of a topic with `partitions` partitions. The Java test (KafkaJsRoundTripTest) builds the
// same records from the same rules; change both together.
const BASE_TIMESTAMP = 1650000000000;
function recordFor(i, partitions) {
  const headers = {};
  if (i % 3 === 1) {
    headers.h = `${i}`;
  } else if (i % 3 === 2) {
    headers.h = `${i}`;
    headers.multi = ['a', `b${i}`];
  }
  return {
    partition: i % partitions,
    key: i % 10 === 0 ? null : `key-${i}`,
    value: i % 15 === 0 ? null : `value-${i}-\u00f8\u00e6\u00e5-${'x'.repeat((i * 37) % 300)}`,
    headers,
    timestamp: String(BASE_TIMESTAMP + i * 1000),
  };
}

function exitAfter(ms, name) {
  setTimeout(() => failWith(name)(new Error(`not done within ${ms} ms`)), ms).unref();
}

module.exports = { UsageError, failWith, kafkaFor, positiveInt, recordFor, exitAfter, RETRY };
