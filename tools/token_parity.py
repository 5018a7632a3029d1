#!/usr/bin/env python3
"""Token-id parity: longmix's tokenized dataset against Hugging Face `tokenizers` (Python).

Usage: token_parity.py TOKENIZED_DIR CORPUS TOKENIZER_JSON [--text-field text] [--special-tokens none]

Reads every row (source, line, input_ids) of TOKENIZED_DIR (Parquet, as `longmix tokenize` writes
it), re-reads line `line` of CORPUS/source (.jsonl, .jsonl.zst or .jsonl.gz) independently of the
Java code, tokenizes its text with the Python bindings of the same Rust library -- special-token
text inside documents stays text (encode_special_tokens = True), the post-processor frames the
document (add_special_tokens = True), no truncation -- and compares the ids exactly.

Prints one JSON line {"docs": N, "mismatches": M, ...}; details of the first mismatches go to stderr.
Exit 0 when every document matches, 1 on any mismatch, 2 on bad usage or unreadable input.
"""
import argparse
import gzip
import io
import json
import os
import sys

import pyarrow.parquet as pq
import zstandard
from tokenizers import Tokenizer


def read_lines(path):
    """The lines of a corpus file as longmix numbers them: split on LF, CR of CRLF dropped,
    a UTF-8 BOM removed from the first line only; one-based."""
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".zst"):
        data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)).read()
    elif path.endswith(".gz"):
        data = gzip.decompress(raw)
    else:
        data = raw
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    lines = [l[:-1] if l.endswith(b"\r") else l for l in lines]
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return lines


def field(obj, dotted):
    for part in dotted.split("."):
        obj = obj[part]
    return obj


def dataset_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        for n in sorted(filenames):
            if n.endswith(".parquet") and not n.startswith(("_", ".")):
                out.append(os.path.join(dirpath, n))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tokenized")
    ap.add_argument("corpus")
    ap.add_argument("tokenizer")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--special-tokens", default="post-processor", choices=["post-processor", "none"])
    ap.add_argument("--show", type=int, default=5, help="mismatches to describe on stderr")
    a = ap.parse_args()

    tok = Tokenizer.from_file(a.tokenizer)
    tok.no_truncation()
    tok.no_padding()
    tok.encode_special_tokens = True
    add_special = a.special_tokens == "post-processor"

    files = dataset_files(a.tokenized)
    if not files:
        print(f"token_parity: no Parquet files in {a.tokenized}", file=sys.stderr)
        return 2
    rows = []
    for f in files:
        t = pq.read_table(f, columns=["source", "line", "input_ids"])
        rows.extend(zip(t.column("source").to_pylist(), t.column("line").to_pylist(),
                        t.column("input_ids").to_pylist()))
    rows.sort(key=lambda r: (r[0], r[1]))

    cache = {}
    docs = 0
    mismatches = 0
    tokens = 0
    shown = 0
    for source, line, ids in rows:
        if source not in cache:
            cache.clear()  # one file at a time keeps memory flat
            cache[source] = read_lines(os.path.join(a.corpus, source))
        lines = cache[source]
        if not 1 <= line <= len(lines):
            print(f"token_parity: {source} has no line {line}", file=sys.stderr)
            return 2
        text = field(json.loads(lines[line - 1].decode("utf-8")), a.text_field)
        expected = tok.encode(text, add_special_tokens=add_special).ids
        docs += 1
        tokens += len(expected)
        if list(ids) != expected:
            mismatches += 1
            if shown < a.show:
                shown += 1
                describe(tok, source, line, text, list(ids), expected)
    print(json.dumps({"tokenizer": a.tokenizer, "docs": docs, "tokens": tokens,
                      "mismatches": mismatches}))
    return 1 if mismatches else 0


def describe(tok, source, line, text, got, expected):
    i = next((k for k, (x, y) in enumerate(zip(got, expected)) if x != y), min(len(got), len(expected)))
    lo = max(0, i - 5)
    ctx_got = got[lo:i + 6]
    ctx_exp = expected[lo:i + 6]
    prefix_chars = len(tok.decode(expected[:i], skip_special_tokens=False)) if i else 0
    print(json.dumps({
        "source": source, "line": line, "first_difference": i,
        "len_longmix": len(got), "len_python": len(expected),
        "longmix": ctx_got, "python": ctx_exp,
        "longmix_tokens": [tok.id_to_token(t) for t in ctx_got],
        "python_tokens": [tok.id_to_token(t) for t in ctx_exp],
        "text_near": text[max(0, prefix_chars - 60):prefix_chars + 60],
    }, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
