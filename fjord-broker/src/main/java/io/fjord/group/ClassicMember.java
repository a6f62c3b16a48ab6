package io.fjord.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A member of a classic group; mutated only by its group's writer thread. */
final class ClassicMember {
    String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    String protocolType;
    List<JoinRequest.Protocol> protocols;
    byte[] assignment = new byte[0];
    CompletableFuture<JoinResult> awaitingJoin;
    CompletableFuture<SyncResult> awaitingSync;
    GroupScheduler.Cancellable sessionTimer;

    ClassicMember(String memberId, JoinRequest request) {
        this.memberId = memberId;
        this.groupInstanceId = request.groupInstanceId();
        update(request);
    }

    void update(JoinRequest request) {
        clientId = request.clientId();
        clientHost = request.clientHost();
        sessionTimeoutMs = request.sessionTimeoutMs();
        rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        protocolType = request.protocolType();
        protocols = List.copyOf(request.protocols());
    }

    boolean supports(String protocol) {
        return metadata(protocol) != null;
    }

    byte[] metadata(String protocol) {
        for (JoinRequest.Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean sameProtocols(List<JoinRequest.Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !java.util.Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }
}
