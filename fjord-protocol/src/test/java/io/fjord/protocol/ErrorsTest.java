package io.fjord.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void everyKafkaErrorHasTheSameCodeNameAndRetriability() {
        for (org.apache.kafka.common.protocol.Errors kafka : org.apache.kafka.common.protocol.Errors.values()) {
            Errors ours = Errors.forCode(kafka.code());
            assertThat(ours).as("code %d (%s)", kafka.code(), kafka.name()).isNotNull();
            assertThat(ours.name()).isEqualTo(kafka.name());
            assertThat(ours.isRetriable()).as(kafka.name())
                    .isEqualTo(kafka.exception() instanceof RetriableException);
        }
    }

    @Test
    void weDefineNoCodeKafkaDoesNot() {
        for (Errors ours : Errors.values()) {
            assertThat(org.apache.kafka.common.protocol.Errors.forCode(ours.code()).name()).isEqualTo(ours.name());
        }
        assertThat(Errors.values()).hasSize(org.apache.kafka.common.protocol.Errors.values().length);
    }

    @Test
    void unknownCodesAreNull() {
        assertThat(Errors.forCode(-2)).isNull();
        assertThat(Errors.forCode(Short.MAX_VALUE)).isNull();
        assertThat(Errors.forCode(35)).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(Errors.NONE.message()).isNull();
    }
}
