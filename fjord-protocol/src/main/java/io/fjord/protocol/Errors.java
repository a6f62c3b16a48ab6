package io.fjord.protocol;

/**
 * Kafka's error codes: the numbers on the wire, the names clients print, and whether a client may
 * simply retry. The codes, names and retriability must match Kafka exactly because clients act on
 * them; the messages are ours.
 */
public enum Errors {
    UNKNOWN_SERVER_ERROR(-1, false, "The server hit an unexpected error while handling the request."),
    NONE(0, false, null),
    OFFSET_OUT_OF_RANGE(1, false, "The requested offset is outside the range the server holds for this partition."),
    CORRUPT_MESSAGE(2, true, "The message failed its CRC check, is too large or otherwise malformed, or has a null key on a compacted topic."),
    UNKNOWN_TOPIC_OR_PARTITION(3, true, "This server does not host this topic-partition."),
    INVALID_FETCH_SIZE(4, false, "The requested fetch size is invalid."),
    LEADER_NOT_AVAILABLE(5, true, "The partition has no leader right now, a leader election is in progress."),
    NOT_LEADER_OR_FOLLOWER(6, true, "This broker is not the leader of the partition, or not a replica of it at all."),
    REQUEST_TIMED_OUT(7, true, "The request timed out."),
    BROKER_NOT_AVAILABLE(8, false, "The broker is not available."),
    REPLICA_NOT_AVAILABLE(9, true, "The replica is not available for the requested topic-partition."),
    MESSAGE_TOO_LARGE(10, false, "The request contained a message larger than the server accepts."),
    STALE_CONTROLLER_EPOCH(11, false, "The controller has moved to another node."),
    OFFSET_METADATA_TOO_LARGE(12, false, "The metadata attached to the committed offset is too large."),
    NETWORK_EXCEPTION(13, true, "The connection was closed before a response arrived."),
    COORDINATOR_LOAD_IN_PROGRESS(14, true, "The coordinator is still loading its state and cannot serve requests yet."),
    COORDINATOR_NOT_AVAILABLE(15, true, "The coordinator is not available."),
    NOT_COORDINATOR(16, true, "This node is not the coordinator for this group or transaction."),
    INVALID_TOPIC_EXCEPTION(17, false, "The topic name is invalid, or the operation is not allowed on this topic."),
    RECORD_LIST_TOO_LARGE(18, false, "The record batch is larger than the topic's segment size."),
    NOT_ENOUGH_REPLICAS(19, true, "Fewer replicas are in sync than the topic requires; the records were not written."),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(20, true, "The records were written, but to fewer in-sync replicas than required."),
    INVALID_REQUIRED_ACKS(21, false, "The produce request's acks value is invalid."),
    ILLEGAL_GENERATION(22, false, "The group generation id is not the current one."),
    INCONSISTENT_GROUP_PROTOCOL(23, false, "The member's protocols do not match the group's, or the protocol type or list is empty."),
    INVALID_GROUP_ID(24, false, "The group id is invalid."),
    UNKNOWN_MEMBER_ID(25, false, "The coordinator does not know this member."),
    INVALID_SESSION_TIMEOUT(26, false, "The session timeout is outside group.min.session.timeout.ms and group.max.session.timeout.ms."),
    REBALANCE_IN_PROGRESS(27, false, "The group is rebalancing; the member must rejoin."),
    INVALID_COMMIT_OFFSET_SIZE(28, false, "The size of the offset commit data is invalid."),
    TOPIC_AUTHORIZATION_FAILED(29, false, "Not authorized to access the topic."),
    GROUP_AUTHORIZATION_FAILED(30, false, "Not authorized to access the group."),
    CLUSTER_AUTHORIZATION_FAILED(31, false, "Not authorized to perform this operation on the cluster."),
    INVALID_TIMESTAMP(32, false, "The message timestamp is outside the accepted range."),
    UNSUPPORTED_SASL_MECHANISM(33, false, "The broker does not support this SASL mechanism."),
    ILLEGAL_SASL_STATE(34, false, "The request is not valid in the connection's current SASL state."),
    UNSUPPORTED_VERSION(35, false, "This version of the API is not supported."),
    TOPIC_ALREADY_EXISTS(36, false, "A topic with this name already exists."),
    INVALID_PARTITIONS(37, false, "The number of partitions is invalid."),
    INVALID_REPLICATION_FACTOR(38, false, "The replication factor is below 1 or above the number of available brokers."),
    INVALID_REPLICA_ASSIGNMENT(39, false, "The replica assignment is invalid."),
    INVALID_CONFIG(40, false, "The configuration is invalid."),
    NOT_CONTROLLER(41, true, "This node is not the active controller of the cluster."),
    INVALID_REQUEST(42, false, "The request is malformed or was sent to an incompatible server; the server log has details."),
    UNSUPPORTED_FOR_MESSAGE_FORMAT(43, false, "The message format on the broker does not support this request."),
    POLICY_VIOLATION(44, false, "The request violates the configured policy."),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, false, "The broker received a sequence number out of order."),
    DUPLICATE_SEQUENCE_NUMBER(46, false, "The broker received a duplicate sequence number."),
    INVALID_PRODUCER_EPOCH(47, false, "The producer used an epoch older than the current one."),
    INVALID_TXN_STATE(48, false, "The transactional operation is not valid in the producer's current state."),
    INVALID_PRODUCER_ID_MAPPING(49, false, "The producer id is not the one currently assigned to this transactional id."),
    INVALID_TRANSACTION_TIMEOUT(50, false, "The transaction timeout exceeds transaction.max.timeout.ms."),
    CONCURRENT_TRANSACTIONS(51, true, "Another operation on the same transaction is still in progress."),
    TRANSACTION_COORDINATOR_FENCED(52, false, "The transaction coordinator that sent the marker is no longer the current one."),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(53, false, "Not authorized to use the transactional id."),
    SECURITY_DISABLED(54, false, "Security features are disabled."),
    OPERATION_NOT_ATTEMPTED(55, false, "The broker did not attempt this operation because another one in the same batch failed."),
    KAFKA_STORAGE_ERROR(56, true, "A disk error occurred while accessing the log."),
    LOG_DIR_NOT_FOUND(57, false, "The log directory is not one of the broker's configured log.dirs."),
    SASL_AUTHENTICATION_FAILED(58, false, "SASL authentication failed."),
    UNKNOWN_PRODUCER_ID(59, false, "The broker has no state for this producer id, for example because its records were removed by retention."),
    REASSIGNMENT_IN_PROGRESS(60, false, "A partition reassignment is in progress."),
    DELEGATION_TOKEN_AUTH_DISABLED(61, false, "Delegation tokens are not enabled."),
    DELEGATION_TOKEN_NOT_FOUND(62, false, "The delegation token was not found."),
    DELEGATION_TOKEN_OWNER_MISMATCH(63, false, "The principal is not the owner or a renewer of the delegation token."),
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED(64, false, "Delegation token requests are not allowed on this kind of connection."),
    DELEGATION_TOKEN_AUTHORIZATION_FAILED(65, false, "Not authorized to use the delegation token."),
    DELEGATION_TOKEN_EXPIRED(66, false, "The delegation token has expired."),
    INVALID_PRINCIPAL_TYPE(67, false, "The principal type is not supported."),
    NON_EMPTY_GROUP(68, false, "The group still has members."),
    GROUP_ID_NOT_FOUND(69, false, "The group does not exist."),
    FETCH_SESSION_ID_NOT_FOUND(70, true, "The fetch session id is unknown."),
    INVALID_FETCH_SESSION_EPOCH(71, true, "The fetch session epoch is invalid."),
    LISTENER_NOT_FOUND(72, true, "The leader has no listener with the name of the listener this request arrived on."),
    TOPIC_DELETION_DISABLED(73, false, "Topic deletion is disabled."),
    FENCED_LEADER_EPOCH(74, true, "The request's leader epoch is older than the broker's."),
    UNKNOWN_LEADER_EPOCH(75, true, "The request's leader epoch is newer than the broker's."),
    UNSUPPORTED_COMPRESSION_TYPE(76, false, "The client does not support the partition's compression type."),
    STALE_BROKER_EPOCH(77, false, "The broker epoch has changed."),
    OFFSET_NOT_AVAILABLE(78, true, "The new leader's high watermark has not caught up yet, so offsets are not yet guaranteed to be monotonic."),
    MEMBER_ID_REQUIRED(79, false, "The member needs a member id before it can join the group."),
    PREFERRED_LEADER_NOT_AVAILABLE(80, true, "The preferred leader is not available."),
    GROUP_MAX_SIZE_REACHED(81, false, "The group has reached its maximum size."),
    FENCED_INSTANCE_ID(82, false, "Another member with the same group.instance.id but a different member id has joined."),
    ELIGIBLE_LEADERS_NOT_AVAILABLE(83, true, "No eligible leader is available for the partition."),
    ELECTION_NOT_NEEDED(84, true, "The partition does not need a leader election."),
    NO_REASSIGNMENT_IN_PROGRESS(85, false, "No partition reassignment is in progress."),
    GROUP_SUBSCRIBED_TO_TOPIC(86, false, "The group's offsets for a topic cannot be deleted while the group is subscribed to it."),
    INVALID_RECORD(87, false, "The broker rejected the record as invalid."),
    UNSTABLE_OFFSET_COMMIT(88, true, "Offsets are pending in an unfinished transaction."),
    THROTTLING_QUOTA_EXCEEDED(89, true, "The throttling quota has been exceeded."),
    PRODUCER_FENCED(90, false, "A newer producer with the same transactional id has fenced this one."),
    RESOURCE_NOT_FOUND(91, false, "The request refers to a resource that does not exist."),
    DUPLICATE_RESOURCE(92, false, "The request refers to the same resource more than once."),
    UNACCEPTABLE_CREDENTIAL(93, false, "The requested credential does not meet the acceptance criteria."),
    INCONSISTENT_VOTER_SET(94, false, "The sender or receiver of a voter-only request is not one of the expected voters."),
    INVALID_UPDATE_VERSION(95, false, "The update version is invalid."),
    FEATURE_UPDATE_FAILED(96, false, "The finalized features could not be updated because of an unexpected server error."),
    PRINCIPAL_DESERIALIZATION_FAILURE(97, false, "The forwarded request's principal could not be deserialized."),
    SNAPSHOT_NOT_FOUND(98, false, "The requested snapshot does not exist."),
    POSITION_OUT_OF_RANGE(99, false, "The requested position is negative or beyond the end of the snapshot."),
    UNKNOWN_TOPIC_ID(100, true, "This server does not host a topic with this id."),
    DUPLICATE_BROKER_REGISTRATION(101, false, "This broker id is already registered."),
    BROKER_ID_NOT_REGISTERED(102, false, "This broker id is not registered."),
    INCONSISTENT_TOPIC_ID(103, true, "The topic id in the request does not match the topic id of the log."),
    INCONSISTENT_CLUSTER_ID(104, false, "The cluster id in the request does not match the server's."),
    TRANSACTIONAL_ID_NOT_FOUND(105, false, "The transactional id does not exist."),
    FETCH_SESSION_TOPIC_ID_ERROR(106, true, "The fetch session used topic ids inconsistently."),
    INELIGIBLE_REPLICA(107, false, "The new ISR contains a replica that is not eligible."),
    NEW_LEADER_ELECTED(108, false, "The partition state was updated, but the partition has a new leader."),
    OFFSET_MOVED_TO_TIERED_STORAGE(109, false, "The requested offset has moved to tiered storage."),
    FENCED_MEMBER_EPOCH(110, false, "The member epoch is fenced; the member must give up its partitions and rejoin."),
    UNRELEASED_INSTANCE_ID(111, false, "The instance id is still held by another member, which must leave first."),
    UNSUPPORTED_ASSIGNOR(112, false, "The group does not support this assignor or assignor version."),
    STALE_MEMBER_EPOCH(113, false, "The member epoch is stale; the member must retry with the epoch from its next heartbeat."),
    MISMATCHED_ENDPOINT_TYPE(114, false, "The request was sent to the wrong type of endpoint."),
    UNSUPPORTED_ENDPOINT_TYPE(115, false, "This endpoint type is not supported."),
    UNKNOWN_CONTROLLER_ID(116, false, "This controller id is unknown."),
    UNKNOWN_SUBSCRIPTION_ID(117, false, "The telemetry subscription id is unknown or outdated."),
    TELEMETRY_TOO_LARGE(118, false, "The telemetry push is larger than the broker accepts."),
    INVALID_REGISTRATION(119, false, "The controller considers the broker registration invalid."),
    TRANSACTION_ABORTABLE(120, false, "The transaction failed on the server; aborting it lets the client keep using its transactional id."),
    INVALID_RECORD_STATE(121, false, "The record is in a state that does not allow this acknowledgement."),
    SHARE_SESSION_NOT_FOUND(122, true, "The share session does not exist."),
    INVALID_SHARE_SESSION_EPOCH(123, true, "The share session epoch is invalid."),
    FENCED_STATE_EPOCH(124, false, "The share-group state epoch does not match the share coordinator's."),
    INVALID_VOTER_KEY(125, false, "The voter key does not match the receiving replica's."),
    DUPLICATE_VOTER(126, false, "The voter is already in the voter set."),
    VOTER_NOT_FOUND(127, false, "The voter is not in the voter set."),
    INVALID_REGULAR_EXPRESSION(128, false, "The regular expression is invalid."),
    REBOOTSTRAP_REQUIRED(129, false, "The client's metadata is stale; it must rebootstrap."),
    STREAMS_INVALID_TOPOLOGY(130, false, "The streams topology is invalid."),
    STREAMS_INVALID_TOPOLOGY_EPOCH(131, false, "The streams topology epoch is invalid."),
    STREAMS_TOPOLOGY_FENCED(132, false, "The streams topology epoch is outdated."),
    SHARE_SESSION_LIMIT_REACHED(133, true, "The share session limit has been reached.");

    private static final Errors[] BY_CODE;

    static {
        Errors[] values = values();
        int max = 0;
        for (Errors e : values) {
            max = Math.max(max, e.code);
        }
        // Codes run densely from -1, so an array shifted by one beats a map.
        BY_CODE = new Errors[max + 2];
        for (Errors e : values) {
            BY_CODE[e.code + 1] = e;
        }
    }

    private final short code;
    private final boolean retriable;
    private final String message;

    Errors(int code, boolean retriable, String message) {
        this.code = (short) code;
        this.retriable = retriable;
        this.message = message;
    }

    public short code() {
        return code;
    }

    /** Whether a client may retry the same request unchanged and expect it to succeed eventually. */
    public boolean isRetriable() {
        return retriable;
    }

    /** A default human-readable message, or null for {@link #NONE}. */
    public String message() {
        return message;
    }

    /** The error with this code, or null when the code is not one Kafka defines. */
    public static Errors forCode(int code) {
        int index = code + 1;
        return index >= 0 && index < BY_CODE.length ? BY_CODE[index] : null;
    }
}
