#!/usr/bin/env python3
"""What a trainer relies on in a packed output, checked the way a trainer reads it.

Usage: trainer_contract.py PACKED_DIR TOKENIZER_JSON

Loads PACKED_DIR's Parquet with Hugging Face `datasets` and with DuckDB (both must see the same
rows) and checks: every full row has exactly seq_len ids, all inside the tokenizer's vocabulary;
the spans tile each row (start 0, contiguous, summing to n_tokens); an item cut at a row boundary
continues at the start of the next row; the BOS id of the tokenizer's post-processor appears
exactly at document starts (span with piece == 0 and from_token == 0) and nowhere else; and a
block-diagonal causal attention mask built with torch from one row's spans has one block per span.
Prints one line per check; exits 1 on the first broken contract, 2 on bad usage.
"""
import glob
import json
import os
import sys
import tempfile

import numpy as np


class ContractError(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise ContractError(msg)


def vocab_size(tok):
    """Ids run 0..n-1: the model's vocabulary plus the added tokens."""
    vocab = tok["model"].get("vocab", {})
    ids = list(vocab.values()) if isinstance(vocab, dict) else list(range(len(vocab)))
    ids += [t["id"] for t in tok.get("added_tokens", [])]
    return max(ids) + 1


def bos_id(tok):
    """The id the post-processor puts before a single sequence, or None if it adds none first."""

    def first_special(pp):
        if pp is None:
            return None
        if pp.get("type") == "Sequence":
            for p in pp.get("processors", []):
                found = first_special(p)
                if found is not None:
                    return found
            return None
        if pp.get("type") == "TemplateProcessing":
            first = pp["single"][0]
            if "SpecialToken" in first:
                name = first["SpecialToken"]["id"]
                return pp["special_tokens"][name]["ids"][0]
        return None

    return first_special(tok.get("post_processor"))


def spans_of(row):
    return sorted(row["spans"], key=lambda s: s["start"])


def block_mask(spans, seq_len, window):
    """Causal attention restricted to each span (document-masked), for the first `window` tokens."""
    import torch

    seg = torch.full((window,), -1, dtype=torch.long)
    for i, s in enumerate(spans):
        a, b = s["start"], min(s["start"] + s["length"], window)
        if a < window:
            seg[a:b] = i
    same = seg[:, None] == seg[None, :]
    causal = torch.ones(window, window, dtype=torch.bool).tril()
    return seg, same & causal & (seg[:, None] >= 0)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    packed, tokenizer_json = argv[1], argv[2]
    with open(os.path.join(packed, "_manifest.json")) as f:
        manifest = json.load(f)
    with open(tokenizer_json) as f:
        tok = json.load(f)
    seq_len = manifest["counts"]["seq_len"]
    n_rows = manifest["counts"]["rows"]
    # concat: items run on across row boundaries; best-fit: only items longer than a row are cut,
    # into row-sized parts placed anywhere, and any row may end in padding.
    best_fit = manifest["counts"].get("packing", "concat") == "best-fit"
    pad_id = int(manifest.get("config", {}).get("pad-id", 0))
    vocab = vocab_size(tok)
    bos = bos_id(tok)
    files = sorted(glob.glob(os.path.join(packed, "*.parquet")))
    check(files, f"no Parquet files in {packed}")
    print(f"packed {packed}: {len(files)} files, manifest says {n_rows} rows of {seq_len}")
    print(f"tokenizer {tokenizer_json}: vocabulary {vocab}, post-processor BOS {bos}")

    import datasets

    datasets.disable_progress_bars()
    import duckdb

    with tempfile.TemporaryDirectory() as cache:
        ds = datasets.load_dataset("parquet", data_files=files, split="train", cache_dir=cache)
        check(len(ds) == n_rows, f"datasets sees {len(ds)} rows, manifest {n_rows}")
        con = duckdb.connect()
        glob_sql = os.path.join(packed, "*.parquet").replace("'", "''")
        db = con.execute(
            f"SELECT row, len(input_ids), list_sum(input_ids::BIGINT[]), n_tokens, pad_tokens,"
            f" len(spans) FROM read_parquet('{glob_sql}') ORDER BY row"
        ).fetchall()
        check(len(db) == n_rows, f"DuckDB sees {len(db)} rows, manifest {n_rows}")
        check([r[0] for r in db] == list(range(n_rows)), "row indexes are not 0..rows-1")
        print(f"ok  datasets and DuckDB both read {n_rows} rows, indexes 0..{n_rows - 1}")

        by_row = {r[0]: r for r in db}
        full = docs = 0
        prev_tail = None
        best = None
        parts = {}
        for r in ds:
            i = r["row"]
            ids = np.asarray(r["input_ids"], dtype=np.int64)
            n, pad = r["n_tokens"], r["pad_tokens"]
            d = by_row[i]
            check(
                (len(ids), int(ids.sum()), n, pad, len(r["spans"])) == tuple(d[1:]),
                f"row {i}: datasets and DuckDB disagree",
            )
            check(len(ids) == n + pad, f"row {i}: {len(ids)} ids but n_tokens {n} + pad {pad}")
            if pad == 0:
                check(len(ids) == seq_len, f"row {i}: a full row of {len(ids)} ids, not {seq_len}")
                full += 1
            check(ids.min() >= 0 and ids.max() < vocab, f"row {i}: id outside [0, {vocab})")
            spans = spans_of(r)
            pos = 0
            for s in spans:
                check(s["start"] == pos, f"row {i}: span at {s['start']}, expected {pos}")
                check(s["length"] > 0, f"row {i}: empty span at {pos}")
                check(
                    s["continuation"] == (s["from_token"] > 0),
                    f"row {i}: continuation flag disagrees with from_token at {pos}",
                )
                pos += s["length"]
            check(pos == n, f"row {i}: spans cover {pos} tokens, n_tokens {n}")
            check(bool((ids[n:] == pad_id).all()), f"row {i}: padding is not pad id {pad_id}")
            first = spans[0]
            if best_fit:
                for s in spans:
                    key = (s["doc_id"], s["piece"], s["copy"])
                    check(
                        s["from_token"] % seq_len == 0,
                        f"row {i}: a best-fit part starts {s['from_token']} tokens into its item,"
                        f" not a multiple of {seq_len}",
                    )
                    check(key + (s["from_token"],) not in parts, f"row {i}: part {key} twice")
                    parts[key + (s["from_token"],)] = s["length"]
            elif first["continuation"]:
                check(prev_tail is not None, f"row {i}: continues an item but no row before it")
                key = (first["doc_id"], first["piece"], first["copy"])
                check(
                    key == prev_tail[0] and first["from_token"] == prev_tail[1],
                    f"row {i}: its first span does not continue the previous row's last item",
                )
            if not best_fit:
                check(
                    all(not s["continuation"] for s in spans[1:]),
                    f"row {i}: a continuation span that does not start the row",
                )
            last = spans[-1]
            prev_tail = ((last["doc_id"], last["piece"], last["copy"]), last["from_token"] + last["length"])
            if bos is not None:
                starts = {s["start"] for s in spans if s["piece"] == 0 and s["from_token"] == 0}
                at = set(np.flatnonzero(ids[:n] == bos).tolist())
                check(
                    at == starts,
                    f"row {i}: BOS at {sorted(at)[:10]}, document starts at {sorted(starts)[:10]}",
                )
                docs += len(starts)
            if best is None or len(spans) > len(best[1]):
                best = (i, spans)
        if best_fit:
            # Every cut item's parts are whole rows but the last, from its first token on.
            by_item = {}
            for (d, p, c, f), length in parts.items():
                by_item.setdefault((d, p, c), []).append((f, length))
            for key, ps in by_item.items():
                ps.sort()
                for k, (f, length) in enumerate(ps):
                    check(f == k * seq_len, f"item {key}: parts at {[x for x, _ in ps]}")
                    check(k == len(ps) - 1 or length == seq_len, f"item {key}: a short part before the last")
        print(f"ok  {full} full rows have exactly {seq_len} ids; all ids < {vocab}; padding is pad id {pad_id}")
        if best_fit:
            print("ok  spans tile every row from 0 to n_tokens; best-fit: only items longer than a row are cut, into whole-row parts")
        else:
            print("ok  spans tile every row from 0 to n_tokens; continuations pick up where the row before stopped")
        if bos is None:
            print("--  BOS check skipped: the tokenizer's post-processor adds no leading special token")
        else:
            print(f"ok  BOS {bos} appears exactly at the {docs} document starts and nowhere else")

    import torch

    i, spans = best
    window = min(seq_len, 8192)
    seg, mask = block_mask(spans, seq_len, window)
    lengths = [min(s["start"] + s["length"], window) - s["start"] for s in spans if s["start"] < window]
    # Padding (past n_tokens, under best-fit in any row) belongs to no block and attends nowhere.
    _, counts = torch.unique_consecutive(seg[seg >= 0], return_counts=True)
    check(counts.tolist() == lengths, f"row {i}: blocks {counts.tolist()} vs spans {lengths}")
    data = sum(lengths)
    expected = torch.zeros(window, window, dtype=torch.bool)
    expected[:data, :data] = torch.block_diag(
        *[torch.ones(k, k, dtype=torch.bool).tril() for k in lengths]
    )
    check(torch.equal(mask, expected), f"row {i}: the mask is not block-diagonal causal")
    cu = torch.tensor([0] + lengths).cumsum(0)
    check(int(cu[-1]) == data, f"row {i}: cu_seqlens ends at {int(cu[-1])}, not {data}")
    print(
        f"ok  row {i}: block-diagonal causal mask over its first {window} tokens has"
        f" {len(lengths)} blocks of {lengths[:8]}{'...' if len(lengths) > 8 else ''};"
        f" cu_seqlens {cu.tolist()[:9]}{'...' if len(lengths) > 8 else ''}"
    )
    print("trainer contract holds")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except ContractError as e:
        print(f"FAIL {e}", file=sys.stderr)
        sys.exit(1)
