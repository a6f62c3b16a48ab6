package io.fjord.metadata;

/**
 * The authorized-operations bitfields of Metadata and DescribeCluster. Bit n stands for the ACL
 * operation with code n. Without an authorizer every operation a resource type supports is allowed,
 * which is what Kafka reports when no authorizer is configured.
 */
public final class AuthorizedOperations {
    /** What the schema's default says: the client did not ask. */
    public static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final int READ = 3;
    private static final int WRITE = 4;
    private static final int CREATE = 5;
    private static final int DELETE = 6;
    private static final int ALTER = 7;
    private static final int DESCRIBE = 8;
    private static final int CLUSTER_ACTION = 9;
    private static final int DESCRIBE_CONFIGS = 10;
    private static final int ALTER_CONFIGS = 11;
    private static final int IDEMPOTENT_WRITE = 12;

    public static final int ALL_TOPIC_OPERATIONS =
            bits(READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    public static final int ALL_CLUSTER_OPERATIONS =
            bits(CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE);

    private AuthorizedOperations() {
    }

    private static int bits(int... codes) {
        int field = 0;
        for (int code : codes) {
            field |= 1 << code;
        }
        return field;
    }
}
