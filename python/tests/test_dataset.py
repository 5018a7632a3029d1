"""PackedDataset on whole packed outputs: what it yields, and how it fails on bad ones."""

import glob
import json
import os
import shutil

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import torch

import longmix
from longmix import IGNORE_INDEX, PackedDataset, PackedOutputError

import packed_writer


def file_rows(path):
    rows = []
    for f in sorted(glob.glob(os.path.join(path, "part-*.parquet"))):
        rows += pq.read_table(f).to_pylist()
    return {r["row"]: r for r in rows}


def test_every_row_yields_what_its_spans_say(packed):
    ds = PackedDataset(packed, label_mask="pad+doc_start")
    truth = file_rows(packed)
    seen = []
    for x in ds:
        r = truth[x["row"]]
        seen.append(x["row"])
        n, L = r["n_tokens"], ds.seq_len
        assert x["input_ids"].tolist() == r["input_ids"] and len(r["input_ids"]) == L
        lengths = [s["length"] for s in r["spans"]] + ([L - n] if L > n else [])
        assert x["seq_lens"].tolist() == lengths
        assert x["cu_seqlens"][-1] == L and x["cu_seqlens"][0] == 0
        ignored = set(range(n, L)) | {s["start"] for s in r["spans"]}
        assert {i for i, v in enumerate(x["labels"].tolist()) if v == IGNORE_INDEX} == ignored
        for s in r["spans"]:
            assert x["position_ids"][s["start"] : s["start"] + s["length"]].tolist() == list(range(s["length"]))
    assert sorted(seen) == list(range(ds.num_rows)) == sorted(truth)


def test_padding_is_masked_in_every_padded_row(padded):
    name, path = padded
    ds = PackedDataset(path)
    truth = file_rows(path)
    pads = 0
    for x in ds:
        n, r = x["n_tokens"], truth[x["row"]]
        assert n == r["n_tokens"] and x["pad_tokens"] == r["pad_tokens"] == ds.seq_len - n
        assert (x["labels"][n:] == IGNORE_INDEX).all() and (x["labels"][:n] != IGNORE_INDEX).all()
        if n < ds.seq_len:  # the padding is a segment of its own: no data token attends to it
            assert x["cu_seqlens"][-2] == n and x["position_ids"][n] == 0
        pads += x["pad_tokens"] > 0
    if name == "best_fit":
        assert pads > ds.num_rows // 2, "a best-fit output pads most rows, not only the last"
    else:
        assert pads > 1, f"{path}: a best-fit output pads rows other than the last"


def test_continued_documents_continue_their_positions(greedy_packed):
    ds = PackedDataset(greedy_packed, shuffle=False, continue_positions=True, position_start=1)
    truth = file_rows(greedy_packed)
    continued = 0
    for x in ds:
        first = truth[x["row"]]["spans"][0]
        if first["continuation"]:
            continued += 1
            assert x["position_ids"][0] == 1 + first["from_token"]
        else:
            assert x["position_ids"][0] == 1
    assert continued > 5


def test_the_loader_batches_for_varlen_attention(greedy_packed):
    ds = PackedDataset(greedy_packed)
    batch = next(iter(longmix.PackedLoader(ds, batch_size=3)))
    assert batch["input_ids"].shape == (3, ds.seq_len)
    cu = batch["cu_seqlens"]
    assert cu.dtype == torch.int32 and cu[0] == 0 and cu[-1] == 3 * ds.seq_len
    assert (cu.diff() == batch["seq_lens"]).all() and batch["max_seqlen"] == int(batch["seq_lens"].max())
    rows = [ds.row(int(r)) for r in batch["row"]]
    assert torch.equal(batch["position_ids"][1], rows[1]["position_ids"])


def test_an_fsspec_url_reads_the_same_rows(greedy_packed):
    fs = fsspec.filesystem("memory")
    for f in os.listdir(greedy_packed):
        fs.pipe(f"/copy/{f}", open(os.path.join(greedy_packed, f), "rb").read())
    a = [x["row"] for x in PackedDataset("memory://copy", seed=2)]
    b = [x["row"] for x in PackedDataset(greedy_packed, seed=2)]
    assert a == b and len(a) == PackedDataset(greedy_packed).num_rows


def copy_of(packed, tmp_path):
    out = str(tmp_path / "copy")
    shutil.copytree(packed, out)
    return out


def test_a_path_without_a_manifest_is_not_a_packed_output(packed, tmp_path):
    out = copy_of(packed, tmp_path)
    os.remove(os.path.join(out, "_manifest.json"))
    with pytest.raises(PackedOutputError, match=f"{out}: not a complete packed output: it has no _manifest.json"):
        PackedDataset(out)
    with pytest.raises(PackedOutputError, match="nowhere: not a complete packed output"):
        PackedDataset(str(tmp_path / "nowhere"))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"stage": "tokenize"}, "stage is 'tokenize', not 'pack'"),
        ({"complete": False}, "not marked complete"),
        ({"counts": {"rows": 3}}, "counts.seq_len is missing"),
    ],
)
def test_a_manifest_of_something_else_is_refused(greedy_packed, tmp_path, change, message):
    out = copy_of(greedy_packed, tmp_path)
    m = json.load(open(os.path.join(out, "_manifest.json")))
    m.update(change)
    json.dump(m, open(os.path.join(out, "_manifest.json"), "w"))
    with pytest.raises(PackedOutputError, match=message):
        PackedDataset(out)


def rewrite_first_file(out, edit):
    f = sorted(glob.glob(os.path.join(out, "part-*.parquet")))[0]
    t = pq.read_table(f)
    rows = t.to_pylist()
    edit(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=t.schema), f, row_group_size=4)
    return f


def test_a_row_whose_spans_do_not_tile_it_fails_naming_file_and_row(packed, tmp_path):
    out = copy_of(packed, tmp_path)

    def stretch(rows):
        r = next(r for r in rows if len(r["spans"]) > 1)
        r["spans"][1]["start"] += 1
        stretch.row = r["row"]

    f = rewrite_first_file(out, stretch)
    ds = PackedDataset(out, shuffle=False)
    with pytest.raises(PackedOutputError, match=f"{f}: row {stretch.row}: span 1 covers"):
        list(ds)


def test_a_row_in_two_files_or_in_none_is_refused(greedy_packed, tmp_path):
    out = copy_of(greedy_packed, tmp_path)
    files = sorted(glob.glob(os.path.join(out, "part-*.parquet")))
    shutil.copy(files[0], os.path.join(out, "part-99999-dup.parquet"))
    with pytest.raises(PackedOutputError, match="row 0 appears more than once"):
        PackedDataset(out)
    os.remove(os.path.join(out, "part-99999-dup.parquet"))
    os.remove(files[1])
    with pytest.raises(PackedOutputError, match="15 of the manifest's 44 rows are in no file \\(first: row 15\\)"):
        PackedDataset(out)


def test_bad_arguments_are_refused(greedy_packed):
    with pytest.raises(ValueError, match="rank = 2, world_size = 2"):
        PackedDataset(greedy_packed, rank=2, world_size=2)
    with pytest.raises(ValueError, match="label_mask = 'docs'"):
        PackedDataset(greedy_packed, label_mask="docs")
    with pytest.raises(IndexError, match="row 44: .* has rows 0..43"):
        PackedDataset(greedy_packed).row(44)
