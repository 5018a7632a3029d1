#!/usr/bin/env python3
"""Checks `longmix export --format megatron` against the packed Parquet it came from.

Usage: megatron_check.py PACKED_DIR EXPORT_DIR

Reads EXPORT_DIR/_manifest.json for the file pairs, opens each with the package's independent
NumPy reader (`longmix.megatron.IndexedDataset`, written from Megatron-LM's layout, not from the
Java writer), reads PACKED_DIR's rows with pyarrow in row order, and checks that the sequences are
the rows' spans in order (every data token, none of the padding), that each sequence's length is
its span's, and that a document starts at every span that does not continue the item of the span
before it. Prints one JSON line; exit 0 when everything matches, 1 on the first difference.
"""
import glob
import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
from longmix.megatron import IndexedDataset  # noqa: E402


def fail(msg):
    print(json.dumps({"ok": False, "error": msg}))
    sys.exit(1)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    packed, export = argv[1], argv[2]
    m = json.load(open(os.path.join(export, "_manifest.json")))
    if m.get("stage") != "export" or not m.get("complete"):
        fail(f"{export}: not a complete export")
    files = sorted(f for f in glob.glob(os.path.join(packed, "*.parquet")))
    table = pq.read_table(files, columns=["row", "input_ids", "n_tokens", "spans"])
    rows = sorted(table.to_pylist(), key=lambda r: r["row"])
    # The expected sequences and document starts, from the spans alone.
    expected = []
    prev = None
    for r in rows:
        ids = r["input_ids"]
        for s in r["spans"]:
            key = (s["doc_id"], s["piece"], s["copy"])
            continues = s["continuation"] and prev is not None and prev[0] == key and prev[1] == s["from_token"]
            expected.append((ids[s["start"] : s["start"] + s["length"]], not continues))
            prev = (key, s["from_token"] + s["length"])
    at = 0
    sequences = documents = tokens = 0
    for pair in m["files"]:
        ds = IndexedDataset(os.path.join(export, pair["prefix"]))
        doc_starts = set(int(x) for x in ds.document_indices[:-1])
        if len(ds.sequence_lengths) != pair["sequences"]:
            fail(f"{pair['prefix']}: {len(ds.sequence_lengths)} sequences, manifest says {pair['sequences']}")
        for i in range(len(ds.sequence_lengths)):
            if at >= len(expected):
                fail(f"{pair['prefix']}: more sequences than the rows have spans")
            want, starts = expected[at]
            got = ds[i]
            if int(ds.sequence_lengths[i]) != len(want) or not np.array_equal(np.asarray(got, dtype=np.int64), np.asarray(want, dtype=np.int64)):
                fail(f"{pair['prefix']} sequence {i}: not span {at}'s tokens")
            # A file's first sequence always starts a document; elsewhere the spans decide.
            if (i in doc_starts) != (starts or i == 0):
                fail(f"{pair['prefix']} sequence {i}: document start {i in doc_starts}, spans say {starts}")
            at += 1
            tokens += len(want)
        sequences += len(ds.sequence_lengths)
        documents += len(ds.document_indices) - 1
    if at != len(expected):
        fail(f"{len(expected) - at} spans were not exported")
    if (sequences, documents, tokens) != (m["sequences"], m["documents"], m["tokens"]):
        fail(f"totals {sequences, documents, tokens} against the manifest's {m['sequences'], m['documents'], m['tokens']}")
    print(json.dumps({"ok": True, "rows": len(rows), "sequences": sequences, "documents": documents,
                      "tokens": tokens, "files": len(m["files"]), "dtype": m["dtype"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
