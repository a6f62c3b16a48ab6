package io.fjord.protocol;

import java.util.List;

/** A generated struct: a request or response body, a header, or a nested struct of one. */
public interface Message {
    /** Replaces this message's content with what {@code readable} holds, in {@code version}'s format. */
    void read(Readable readable, short version);

    /** Writes exactly {@link #size(short)} bytes. */
    void write(Writable writable, short version);

    int size(short version);

    short lowestSupportedVersion();

    short highestSupportedVersion();

    /** Tagged fields this version of the code does not know, kept so they can be passed on. */
    List<RawTaggedField> unknownTaggedFields();
}
