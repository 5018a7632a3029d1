package dev.longmix.jobs.tokenize;

import java.io.Serializable;

/** One rejected input record: where it was, why, and the start of what it held. */
public record RejectRecord(String source, long line, String reason, String detail, String snippet)
    implements Serializable {}
