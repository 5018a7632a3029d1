package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.CorpusFormat;
import java.io.Serializable;

/**
 * One corpus file as a task sees it.
 *
 * @param index position in the sorted listing
 * @param path full Hadoop path (any filesystem)
 * @param relative path below the input root, after {@code NAME/} for a named source: the document
 *     ids' provenance, the same on every filesystem the corpus is copied to
 * @param domain the named source's name, every record's domain; null when records carry their own
 */
public record InputFile(
    int index, String path, String relative, long bytes, CorpusFormat format, String domain)
    implements Serializable {}
