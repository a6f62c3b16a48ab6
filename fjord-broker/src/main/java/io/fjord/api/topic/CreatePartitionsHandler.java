package io.fjord.api.topic;

import io.fjord.api.AbstractApiHandler;
import io.fjord.api.RequestContext;
import io.fjord.metadata.ApiError;
import io.fjord.metadata.MetadataStore;
import io.fjord.metadata.PartitionIncrease;
import io.fjord.protocol.ApiMessage;
import io.fjord.protocol.Errors;
import io.fjord.protocol.message.ApiKey;
import io.fjord.protocol.message.CreatePartitionsRequestData;
import io.fjord.protocol.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import io.fjord.protocol.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import io.fjord.protocol.message.CreatePartitionsResponseData;
import io.fjord.protocol.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** CreatePartitions: grows topics (never shrinks them), optionally with manual placement, or only validates. */
public final class CreatePartitionsHandler extends AbstractApiHandler {
    private final MetadataStore store;

    public CreatePartitionsHandler(MetadataStore store) {
        super(ApiKey.CREATE_PARTITIONS, 0, 3);
        this.store = store;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage body) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) body;
        long deadline = Deadlines.fromTimeoutMs(request.timeoutMs());
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        List<CreatePartitionsTopicResult> results = new ArrayList<>();
        duplicates.forEach(name -> results.add(result(name, new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name."))));
        List<PartitionIncrease> increases = new ArrayList<>();
        for (CreatePartitionsTopic topic : request.topics()) {
            if (duplicates.contains(topic.name())) {
                continue;
            }
            List<List<Integer>> assignments = null;
            if (topic.assignments() != null) {
                assignments = new ArrayList<>();
                for (CreatePartitionsAssignment a : topic.assignments()) {
                    assignments.add(a.brokerIds());
                }
            }
            increases.add(new PartitionIncrease(topic.name(), topic.count(), assignments));
        }
        if (increases.isEmpty()) {
            return CompletableFuture.completedFuture(new CreatePartitionsResponseData().setResults(results));
        }
        return store.createPartitions(increases, request.validateOnly(), deadline).handle((errors, failure) -> {
            for (PartitionIncrease increase : increases) {
                ApiError error = failure != null ? ApiError.fromThrowable(failure) : errors.get(increase.topic());
                results.add(result(increase.topic(), error));
            }
            return new CreatePartitionsResponseData().setResults(results);
        });
    }

    private static CreatePartitionsTopicResult result(String name, ApiError error) {
        return new CreatePartitionsTopicResult()
                .setName(name)
                .setErrorCode(error.code())
                .setErrorMessage(error.isFailure() ? error.messageOrDefault() : null);
    }
}
