#!/usr/bin/env python3
"""Checks `longmix export --format megatron` against the packed Parquet it came from.

Usage: megatron_check.py PACKED_DIR EXPORT_DIR

Opens every file pair that EXPORT_DIR/_manifest.json lists with the package's NumPy reader
(`longmix.megatron.IndexedDataset`, written from Megatron-LM's published layout, not from the Java
writer; it checks the header, sizes and pointers itself), reads PACKED_DIR's rows with pyarrow and
derives from the spans alone what each pair must hold: the sequences of its rows' spans in row order
(every data token, none of the padding), each as long as its span, and the document index under the
rule docs/output-format.md states (a span begins a document unless it continues, from where it
stopped, the item of the span before it in the same file; a file's first span always begins one).
When the manifest names an EOD id (`--append-eod`), every sequence must be its span's tokens followed
by exactly one appended EOD (none appended when the span already ends with it), so every sequence and
every document ends with the EOD and, with the appended ids taken out, the tokens are the rows' data
tokens in order; without one, the sequences are the spans exactly, as before.
Also checks that the pairs cover the rows once, in order, and the manifest's counts and dtype.
Prints one JSON line; exit 0 when everything matches, 1 at the first difference.
"""
import glob
import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
from longmix.megatron import IndexedDataset  # noqa: E402

UINT16_VOCABULARY = 65500  # Megatron-LM's rule: uint16 for a vocabulary below this, else int32


def fail(msg):
    print(json.dumps({"ok": False, "error": msg}))
    sys.exit(1)


def expected_pair(rows, eod):
    """The sequences (token lists), document index and EOD ids appended that these rows' spans give
    one file; ``eod`` None for an export without EOD."""
    sequences, doc_index, prev, appended = [], [], None, 0
    for r in rows:
        ids = r["input_ids"]
        for s in r["spans"]:
            item = (s["doc_id"], s["piece"], s["copy"])
            continues = prev is not None and s["from_token"] > 0 and prev == (item, s["from_token"])
            if not continues:
                doc_index.append(len(sequences))
            seq = ids[s["start"] : s["start"] + s["length"]]
            if eod is not None and seq[-1] != eod:
                seq = seq + [eod]
                appended += 1
            sequences.append(seq)
            prev = (item, s["from_token"] + s["length"])
    doc_index.append(len(sequences))
    return sequences, doc_index, appended


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    packed, export = argv[1], argv[2]
    m = json.load(open(os.path.join(export, "_manifest.json")))
    if m.get("stage") != "export" or m.get("complete") is not True:
        fail(f"{export}: not a complete export")
    files = sorted(glob.glob(os.path.join(packed, "part-*.parquet")))
    table = pq.read_table(files, columns=["row", "input_ids", "n_tokens", "pad_tokens", "spans"])
    rows = sorted(table.to_pylist(), key=lambda r: r["row"])
    if [r["row"] for r in rows] != list(range(len(rows))) or len(rows) != m["rows"]:
        fail(f"{packed}: rows are not 0..{m['rows'] - 1}")
    eod = m.get("eod")  # absent (null) without --append-eod
    max_id = max((max(r["input_ids"]) for r in rows), default=-1)
    largest = max_id if eod is None else max(max_id, eod)
    want_dtype = "uint16" if largest + 1 < UINT16_VOCABULARY else "int32"
    if m["dtype_rule"].startswith("auto") and m["dtype"] != want_dtype:
        fail(f"dtype {m['dtype']}, but the largest id (EOD included) is {largest}: Megatron's rule gives {want_dtype}")

    next_row = 0
    totals = {"sequences": 0, "documents": 0, "tokens": 0, "eod_appended": 0}
    ending_with_eod = 0  # sequences whose last id is the EOD
    eod_inside = 0  # EOD ids anywhere else: data, which Megatron would also take for an EOD
    for pair in m["files"]:
        name = pair["prefix"]
        if pair["first_row"] != next_row or pair["rows"] < 1:
            fail(f"{name}: rows from {pair['first_row']} ({pair['rows']}), expected from {next_row}")
        mine = rows[next_row : next_row + pair["rows"]]
        next_row += pair["rows"]
        want, want_docs, appended = expected_pair(mine, eod)
        ds = IndexedDataset(os.path.join(export, name))
        if ds.dtype.name != m["dtype"]:
            fail(f"{name}: ids are {ds.dtype.name}, the manifest says {m['dtype']}")
        if len(ds) != len(want):
            fail(f"{name}: {len(ds)} sequences, its rows have {len(want)} spans")
        for i, seq in enumerate(want):
            if int(ds.sequence_lengths[i]) != len(seq):
                fail(f"{name} sequence {i}: length {int(ds.sequence_lengths[i])}, expected {len(seq)}" + (" (its span and the EOD, unless the span ends with it)" if eod is not None else " (its span)"))
            got = ds[i].astype(np.int64)
            if not np.array_equal(got, np.asarray(seq, dtype=np.int64)):
                fail(f"{name} sequence {i}: not its span's tokens" + ("" if eod is None else " and one EOD"))
            if eod is not None:
                ending_with_eod += int(got[-1] == eod)
                eod_inside += int(np.count_nonzero(got[:-1] == eod))
        if eod is not None:
            last = [int(ds[int(e) - 1][-1]) for e in ds.document_indices[1:]]
            if any(t != eod for t in last):
                fail(f"{name}: a document does not end with the EOD id {eod}")
        if ds.document_indices.tolist() != want_docs:
            got = ds.document_indices.tolist()
            d = next(k for k in range(max(len(got), len(want_docs))) if got[k : k + 1] != want_docs[k : k + 1])
            fail(f"{name}: document index differs from the spans' at entry {d} ({got[d:d + 3]} vs {want_docs[d:d + 3]})")
        tokens = sum(len(s) for s in want)
        data = sum(r["n_tokens"] for r in mine)
        if tokens != data + appended:
            fail(f"{name}: {tokens} tokens in sequences, its rows hold {data} data tokens and {appended} EOD were appended")
        counts = {"sequences": len(want), "documents": len(want_docs) - 1, "tokens": tokens, "eod_appended": appended}
        for k, v in counts.items():
            if pair[k] != v:
                fail(f"{name}: manifest says {k} {pair[k]}, the files hold {v}")
            totals[k] += v
        if os.path.getsize(os.path.join(export, name + ".bin")) != pair["bin_bytes"]:
            fail(f"{name}.bin: size differs from the manifest's bin_bytes")
    if next_row != len(rows):
        fail(f"rows {next_row}.. are in no file pair")
    for k, v in totals.items():
        if m[k] != v:
            fail(f"manifest says {k} {m[k]}, the files hold {v}")
    if eod is not None and ending_with_eod != totals["sequences"]:
        fail(f"{totals['sequences'] - ending_with_eod} sequences do not end with the EOD id {eod}")
    padding = sum(r["pad_tokens"] for r in rows)
    if m["padding_left_out"] != padding:
        fail(f"manifest says {m['padding_left_out']} pad ids left out, the rows hold {padding}")
    print(
        json.dumps(
            {
                "ok": True,
                "rows": len(rows),
                "files": len(m["files"]),
                "dtype": m["dtype"],
                "max_id": max_id,
                "eod": eod,
                "sequences_ending_with_eod": ending_with_eod,
                "eod_inside_sequences": eod_inside,
                "padding_left_out": padding,
                **totals,
                "continued_sequences": totals["sequences"] - totals["documents"],
                "documents_beginning_mid_item": sum(
                    1 for r in rows for s in r["spans"] if s["from_token"] > 0 or s["piece"] > 0
                ) - (totals["sequences"] - totals["documents"]),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
