package io.fjord.record;

/** Who set a batch's timestamps: the producer (CreateTime) or the broker (LogAppendTime). */
public enum TimestampType {
    CREATE_TIME("CreateTime"),
    LOG_APPEND_TIME("LogAppendTime");

    public final String configName;

    TimestampType(String configName) {
        this.configName = configName;
    }
}
