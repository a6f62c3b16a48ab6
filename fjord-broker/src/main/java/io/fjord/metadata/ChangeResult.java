package io.fjord.metadata;

/** What a metadata operation decided: the image after it (the same one when nothing changed) and its answer. */
public record ChangeResult<T>(MetadataImage image, T response) {
}
