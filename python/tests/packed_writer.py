"""Writes small packed outputs in longmix's format with pyarrow, so the loader's tests need no Java.

The layout is the pack stage's (docs/output-format.md): ``_manifest.json`` written last, ``part-*``
Parquet files with ``row, input_ids, spans, n_tokens, pad_tokens``, padding only at a row's end.
``greedy`` cuts the concatenation of the documents every ``seq_len`` tokens (documents continue in
the next row); ``best_fit`` puts whole documents into rows and pads every row's tail, as a best-fit
packer does.
"""

import json
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

BOS = 1
PAD = 0

SPAN = pa.struct(
    [
        pa.field("start", pa.int32(), False),
        pa.field("length", pa.int32(), False),
        pa.field("domain", pa.string(), False),
        pa.field("doc_id", pa.int64(), False),
        pa.field("piece", pa.int32(), False),
        pa.field("copy", pa.int32(), False),
        pa.field("from_token", pa.int32(), False),
        pa.field("continuation", pa.bool_(), False),
    ]
)
SCHEMA = pa.schema(
    [
        pa.field("row", pa.int64(), False),
        pa.field("input_ids", pa.list_(pa.field("element", pa.int32(), False)), False),
        pa.field("spans", pa.list_(pa.field("element", SPAN, False)), False),
        pa.field("n_tokens", pa.int32(), False),
        pa.field("pad_tokens", pa.int32(), False),
    ]
)


def documents(n, seed, max_len, vocab=500):
    """``n`` documents ``[BOS] + ids`` of random lengths 1..max_len, ids in [3, vocab)."""
    rnd = random.Random(seed)
    docs = []
    for d in range(n):
        length = rnd.randint(1, max_len)
        docs.append((1000 + d, [BOS] + [rnd.randrange(3, vocab) for _ in range(length - 1)]))
    return docs


def greedy_rows(docs, seq_len, tail="pad"):
    rows, ids, spans = [], [], []
    for doc_id, toks in docs:
        at = 0
        while at < len(toks):
            take = min(len(toks) - at, seq_len - len(ids))
            spans.append(_span(len(ids), take, doc_id, at))
            ids += toks[at : at + take]
            at += take
            if len(ids) == seq_len:
                rows.append((ids, spans))
                ids, spans = [], []
    if ids and tail == "pad":
        rows.append((ids, spans))
    return rows


def best_fit_rows(docs, seq_len):
    """Whole documents (each at most seq_len), first fit by decreasing length: every row padded."""
    bins = []
    for doc_id, toks in sorted(docs, key=lambda d: -len(d[1])):
        assert len(toks) <= seq_len
        for b in bins:
            if b[0] + len(toks) <= seq_len:
                break
        else:
            b = [0, [], []]
            bins.append(b)
        b[2].append(_span(b[0], len(toks), doc_id, 0))
        b[1].extend(toks)
        b[0] += len(toks)
    return [(ids, spans) for _, ids, spans in bins]


def _span(start, length, doc_id, from_token):
    return {
        "start": start,
        "length": length,
        "domain": "D" + str(doc_id % 3),
        "doc_id": doc_id,
        "piece": 0,
        "copy": 0,
        "from_token": from_token,
        "continuation": from_token > 0,
    }


def write_packed(out, rows, seq_len, files=3, row_group_size=4, manifest=True):
    """Writes ``rows`` (``(ids, spans)`` pairs, ids not yet padded) as a packed output at ``out``;
    returns the rows as written (dicts)."""
    os.makedirs(out, exist_ok=True)
    written = []
    for i, (ids, spans) in enumerate(rows):
        pad = seq_len - len(ids)
        written.append(
            {"row": i, "input_ids": ids + [PAD] * pad, "spans": spans, "n_tokens": len(ids), "pad_tokens": pad}
        )
    per_file = -(-len(written) // files)
    for f in range(files):
        part = written[f * per_file : (f + 1) * per_file]
        table = pa.Table.from_pylist(part, schema=SCHEMA)
        pq.write_table(table, os.path.join(out, f"part-{f:05d}-test.zstd.parquet"), row_group_size=row_group_size)
    if manifest:
        write_manifest(out, seq_len, len(written))
    return written


def write_manifest(out, seq_len, rows, **overrides):
    m = {
        "stage": "pack",
        "complete": True,
        "counts": {"seq_len": seq_len, "tail": "pad", "rows": rows, "content_digest": f"test-{rows}-{seq_len}"},
    }
    m.update(overrides)
    with open(os.path.join(out, "_manifest.json"), "w") as f:
        json.dump(m, f)
    open(os.path.join(out, "_SUCCESS"), "w").close()
