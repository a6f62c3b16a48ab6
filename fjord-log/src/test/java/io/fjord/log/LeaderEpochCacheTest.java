package io.fjord.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule of Kafka's leader epoch cache (the examples are those of Kafka's LeaderEpochFileCacheTest,
 * restated), and its checkpoint file: Kafka's layout, written on every change, refused when damaged.
 */
class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    private Path file;
    private LeaderEpochCache cache;

    @BeforeEach
    void setUp() {
        file = dir.resolve(LeaderEpochCache.FILE_NAME);
        cache = LeaderEpochCache.empty(file);
    }

    private static EpochEndOffset end(int epoch, long offset) {
        return new EpochEndOffset(epoch, offset);
    }

    private static EpochEntry entry(int epoch, long startOffset) {
        return new EpochEntry(epoch, startOffset);
    }

    private void assign(int... epochAndOffsetPairs) {
        for (int i = 0; i < epochAndOffsetPairs.length; i += 2) {
            cache.assign(epochAndOffsetPairs[i], epochAndOffsetPairs[i + 1]);
        }
    }

    // ---- assign ----

    @Test
    void anAssignedEpochIsLatestAndEndsAtTheLogEnd() {
        assertThat(cache.assign(2, 10)).isTrue();
        assertThat(cache.latestEpoch()).isEqualTo(2);
        assertThat(cache.entries()).containsExactly(entry(2, 10));
        assertThat(cache.endOffsetFor(2, 11)).isEqualTo(end(2, 11));
    }

    @Test
    void theLatestEpochKeepsItsStartOffsetOnceAssigned() {
        cache.assign(2, 9);
        assertThat(cache.assign(2, 10)).isFalse();
        assertThat(cache.assign(2, 9)).isFalse();
        assertThat(cache.entries()).containsExactly(entry(2, 9));
        assertThat(cache.endOffsetFor(2, 14)).isEqualTo(end(2, 14));
    }

    @Test
    void aNewEpochAtAnOffsetNotAboveEarlierStartsReplacesThem() {
        cache.assign(2, 9);
        cache.assign(3, 9);
        assertThat(cache.entries()).as("same start: the earlier leader wrote nothing").containsExactly(entry(3, 9));

        cache.assign(4, 5);
        assertThat(cache.entries()).containsExactly(entry(4, 5));
    }

    @Test
    void aNewEpochDropsOnlyTheEntriesItConflictsWith() {
        assign(0, 0, 2, 10, 5, 20);
        cache.assign(6, 15);
        assertThat(cache.entries()).containsExactly(entry(0, 0), entry(2, 10), entry(6, 15));
    }

    @Test
    void theLatestEpochAtAnEarlierOffsetReplacesTheConflictingEntries() {
        assign(5, 11, 6, 12, 7, 13);
        assertThat(cache.assign(7, 12)).isTrue();
        assertThat(cache.entries()).containsExactly(entry(5, 11), entry(7, 12));
        assertThat(cache.endOffsetFor(5, 0)).isEqualTo(end(5, 12));
        assertThat(cache.endOffsetFor(6, 0)).isEqualTo(end(5, 12));
    }

    @Test
    void anOlderEpochReplacesEverythingFromItsEpochOn() {
        assign(1, 5, 2, 6);
        cache.assign(1, 7);
        assertThat(cache.latestEpoch()).isEqualTo(1);
        assertThat(cache.entries()).containsExactly(entry(1, 7));
        assertThat(cache.endOffsetFor(1, 8)).isEqualTo(end(1, 8));
        assertThat(cache.endOffsetFor(2, 8)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void negativeEpochsAndOffsetsAreRefused() {
        assertThatThrownBy(() -> cache.assign(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.assign(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.entries()).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void epochsTrackedAsLeadersChange() {
        cache.assign(0, 0);
        cache.assign(1, 0);
        assertThat(cache.entries()).containsExactly(entry(1, 0));
        assertThat(cache.endOffsetFor(1, 0)).isEqualTo(end(1, 0));
        assertThat(cache.endOffsetFor(0, 0)).as("below the first known epoch").isEqualTo(end(0, 0));
        assertThat(cache.endOffsetFor(1, 5)).isEqualTo(end(1, 5));
        assertThat(cache.endOffsetFor(0, 5)).isEqualTo(end(0, 0));

        cache.assign(2, 5);
        assertThat(cache.endOffsetFor(2, 10)).isEqualTo(end(2, 10));
        assertThat(cache.endOffsetFor(1, 10)).isEqualTo(end(1, 5));
        assertThat(cache.endOffsetFor(0, 10)).isEqualTo(end(0, 0));
    }

    @Test
    void epochsTrackedAsAFollowerReceivesRecords() {
        for (int offset = 0; offset < 9; offset++) {
            cache.assign(offset / 3, offset);
        }
        assertThat(cache.entries()).containsExactly(entry(0, 0), entry(1, 3), entry(2, 6));
        assertThat(cache.endOffsetFor(2, 9)).isEqualTo(end(2, 9));
        assertThat(cache.endOffsetFor(1, 9)).isEqualTo(end(1, 6));
        assertThat(cache.endOffsetFor(0, 9)).isEqualTo(end(0, 3));
    }

    // ---- endOffsetFor ----

    @Test
    void endOffsetRules() {
        assertThat(cache.endOffsetFor(0, 0)).as("no entries").isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(-1, 73)).as("undefined request, empty cache").isEqualTo(EpochEndOffset.UNDEFINED);

        assign(0, 10, 2, 13, 4, 17);
        assertThat(cache.endOffsetFor(-1, 20)).as("undefined request").isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(0, 20)).isEqualTo(end(0, 13));
        assertThat(cache.endOffsetFor(1, 20)).as("floor epoch, next start").isEqualTo(end(0, 13));
        assertThat(cache.endOffsetFor(2, 20)).isEqualTo(end(2, 17));
        assertThat(cache.endOffsetFor(3, 20)).isEqualTo(end(2, 17));
        assertThat(cache.endOffsetFor(4, 20)).as("latest: the log end").isEqualTo(end(4, 20));
        assertThat(cache.endOffsetFor(5, 20)).as("above the latest").isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(EpochEndOffset.UNDEFINED.isUndefined()).isTrue();
        assertThat(end(0, 13).isUndefined()).isFalse();
    }

    @Test
    void anEpochBelowTheFirstEndsWhereTheFirstKnownStarts() {
        assign(5, 11, 6, 12, 7, 13);
        assertThat(cache.endOffsetFor(4, 0)).isEqualTo(end(4, 11));
        assertThat(cache.endOffsetFor(0, 0)).isEqualTo(end(0, 11));
    }

    @Test
    void anEpochNotTrackedAboveTheLatestIsUndefined() {
        cache.assign(2, 100);
        assertThat(cache.endOffsetFor(3, 100)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    // ---- truncateFromEnd ----

    @Test
    void truncateFromEndDropsEntriesStartingAtOrAfterTheOffset() {
        assign(2, 6, 3, 8, 4, 11);
        cache.truncateFromEnd(9);
        assertThat(cache.entries()).containsExactly(entry(2, 6), entry(3, 8));
        assertThat(cache.latestEpoch()).isEqualTo(3);

        cache.truncateFromEnd(8);
        assertThat(cache.entries()).as("on an epoch boundary").containsExactly(entry(2, 6));
    }

    @Test
    void truncateFromEndWithAnUndefinedOrLaterOffsetChangesNothing() {
        assign(2, 6, 3, 8, 4, 11);
        cache.truncateFromEnd(-1);
        cache.truncateFromEnd(12);
        assertThat(cache.entries()).containsExactly(entry(2, 6), entry(3, 8), entry(4, 11));
        LeaderEpochCache.empty(dir.resolve("other")).truncateFromEnd(7);
    }

    // ---- truncateFromStart ----

    @Test
    void truncateFromStartMovesTheCoveringEntryUp() {
        assign(2, 6, 3, 8, 4, 11);
        cache.truncateFromStart(9);
        assertThat(cache.entries()).containsExactly(entry(3, 9), entry(4, 11));
    }

    @Test
    void truncateFromStartOnABoundaryKeepsThatEntry() {
        assign(2, 6, 3, 8, 4, 11);
        cache.truncateFromStart(8);
        assertThat(cache.entries()).containsExactly(entry(3, 8), entry(4, 11));
    }

    @Test
    void truncateFromStartAtOrBeforeTheFirstStartChangesNothing() {
        assign(2, 6, 3, 8, 4, 11);
        cache.truncateFromStart(1);
        cache.truncateFromStart(6);
        cache.truncateFromStart(-1);
        assertThat(cache.entries()).containsExactly(entry(2, 6), entry(3, 8), entry(4, 11));
    }

    @Test
    void truncateFromStartBetweenTheFirstTwoEntries() {
        assign(0, 0, 1, 7, 2, 10);
        cache.truncateFromStart(5);
        assertThat(cache.entries()).containsExactly(entry(0, 5), entry(1, 7), entry(2, 10));
    }

    @Test
    void truncateFromStartPastEveryEntryKeepsTheLatestAtTheNewStart() {
        assign(2, 6, 3, 8, 4, 11);
        cache.truncateFromStart(11);
        assertThat(cache.entries()).containsExactly(entry(4, 11));
        cache.truncateFromStart(15);
        assertThat(cache.entries()).containsExactly(entry(4, 15));
        LeaderEpochCache.empty(dir.resolve("other")).truncateFromStart(7);
    }

    @Test
    void clearForgetsEverything() throws IOException {
        assign(2, 6, 3, 8);
        cache.clear();
        assertThat(cache.entries()).isEmpty();
        assertThat(cache.latestEpoch()).isEqualTo(-1);
        assertThat(LeaderEpochCache.read(file).entries()).isEmpty();
    }

    // ---- the checkpoint file ----

    @Test
    void everyChangeIsWrittenInKafkasLayout() throws IOException {
        assertThat(file).as("nothing written before the first change").doesNotExist();
        assign(2, 6, 3, 8, 4, 11);
        assertThat(Files.readAllLines(file)).containsExactly("0", "3", "2 6", "3 8", "4 11");
        cache.truncateFromEnd(9);
        assertThat(Files.readAllLines(file)).containsExactly("0", "2", "2 6", "3 8");
        cache.truncateFromStart(7);
        assertThat(Files.readAllLines(file)).containsExactly("0", "2", "2 7", "3 8");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
        assertThat(LeaderEpochCache.read(file).entries()).containsExactly(entry(2, 7), entry(3, 8));
    }

    @Test
    void aMissingFileReadsAsAnEmptyCache() throws IOException {
        LeaderEpochCache read = LeaderEpochCache.read(file);
        assertThat(read.entries()).isEmpty();
        assertThat(read.latestEpoch()).isEqualTo(-1);
        assertThat(LeaderEpochCache.readFile(file)).isNull();
    }

    @Test
    void kafkasFileIsReadAsItIs() throws IOException {
        // As Kafka writes it: version, count, then "epoch startOffset" lines.
        Files.writeString(file, "0\n2\n0 0\n3 1200\n");
        LeaderEpochCache read = LeaderEpochCache.read(file);
        assertThat(read.entries()).containsExactly(entry(0, 0), entry(3, 1200));
        assertThat(read.endOffsetFor(1, 1500)).isEqualTo(end(0, 1200));
    }

    @Test
    void damagedFilesAreRefusedWithTheReason() throws IOException {
        String[] damaged = {
            "", "0\n", "1\n0\n", "0\n2\n0 0\n", "0\n1\n0\n", "0\n1\nx 0\n", "0\n1\n0 y\n", "0\n1\n-1 0\n",
            "0\n2\n3 0\n2 5\n", "0\n2\n2 5\n3 5\n", "0\n2\n2 5\n2 6\n", "0\n1\n0 0\n1 1\n", "0\n1\n0 0 0\n",
        };
        for (String content : damaged) {
            Files.writeString(file, content);
            assertThatThrownBy(() -> LeaderEpochCache.read(file)).as("content %s", content)
                    .isInstanceOf(IOException.class).hasMessageContaining("malformed checkpoint file")
                    .hasMessageContaining(file.toString());
        }
    }

    @Test
    void aRefusedAssignmentLeavesTheFileAsItWas() throws IOException {
        assign(2, 6);
        byte[] before = Files.readAllBytes(file);
        cache.assign(2, 9);
        cache.truncateFromEnd(7);
        cache.truncateFromStart(6);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aFailedWriteLeavesTheCacheAsItWasForAnAssignment() throws IOException {
        LeaderEpochCache unwritable = LeaderEpochCache.empty(dir.resolve("missing-dir").resolve(LeaderEpochCache.FILE_NAME));
        assertThatThrownBy(() -> unwritable.assign(1, 0)).isInstanceOf(LogStorageException.class);
        assertThat(unwritable.entries()).as("an epoch is visible only once on disk").isEmpty();
    }

    @Test
    void assignAllWritesOnceAndAppliesTheRulesInOrder() throws IOException {
        cache.assign(1, 0);
        assertThat(cache.assignAll(List.of(entry(3, 10), entry(4, 12)))).isTrue();
        assertThat(cache.entries()).containsExactly(entry(1, 0), entry(3, 10), entry(4, 12));
        assertThat(LeaderEpochCache.read(file).entries()).isEqualTo(cache.entries());
        assertThat(cache.assignAll(List.of(entry(4, 13)))).isFalse();
    }
}
