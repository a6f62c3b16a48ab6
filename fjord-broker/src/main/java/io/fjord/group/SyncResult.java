package io.fjord.group;

import io.fjord.protocol.Errors;

/** The answer to a SyncGroup: the member's assignment from the leader (empty on errors). */
public record SyncResult(Errors error, String protocolType, String protocolName, byte[] assignment) {

    static SyncResult error(Errors error) {
        return new SyncResult(error, null, null, new byte[0]);
    }
}
