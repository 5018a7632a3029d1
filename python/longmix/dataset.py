"""A torch IterableDataset over a packed output, sharded across ranks and workers, resumable exactly."""

from __future__ import annotations

import json
import os
import posixpath

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import torch
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from . import order
from .rows import PackedOutputError, check_label_mask, check_tiling, row_features

MANIFEST = "_manifest.json"
COLUMNS = ["row", "input_ids", "spans", "n_tokens", "pad_tokens"]
STATE_FORMAT = "longmix.PackedDataset/1"


def read_manifest(fs, root: str, shown: str) -> dict:
    """The manifest of a complete pack output at ``root``, or PackedOutputError naming ``shown``."""
    path = posixpath.join(root, MANIFEST)
    if not fs.exists(path):
        raise PackedOutputError(
            f"{shown}: not a complete packed output: it has no {MANIFEST} (the pack stage writes it"
            " last, so either the job did not finish or this is not the output of longmix pack)"
        )
    with fs.open(path, "rb") as f:
        try:
            m = json.load(f)
        except ValueError as e:
            raise PackedOutputError(f"{shown}/{MANIFEST}: not JSON ({e})") from None
    if m.get("stage") != "pack":
        raise PackedOutputError(
            f"{shown}/{MANIFEST}: stage is {m.get('stage')!r}, not 'pack': these are not packed rows"
        )
    if m.get("complete") is not True:
        raise PackedOutputError(f"{shown}/{MANIFEST}: the output is not marked complete")
    counts = m.get("counts", {})
    for key in ("seq_len", "rows"):
        if not isinstance(counts.get(key), int):
            raise PackedOutputError(f"{shown}/{MANIFEST}: counts.{key} is missing or not an integer")
    return m


class _RowGroup:
    """One row group's columns as NumPy arrays, and the features of a row in it."""

    def __init__(self, table: pa.Table):
        t = table.combine_chunks()
        self.row = t.column("row").chunk(0).to_numpy()
        self.n_tokens = t.column("n_tokens").chunk(0).to_numpy()
        self.pad_tokens = t.column("pad_tokens").chunk(0).to_numpy()
        ids = t.column("input_ids").chunk(0)
        self.id_offsets = ids.offsets.to_numpy()
        self.ids = ids.values.to_numpy()
        spans = t.column("spans").chunk(0)
        self.span_offsets = spans.offsets.to_numpy()
        s = spans.values
        self.start = s.field("start").to_numpy()
        self.length = s.field("length").to_numpy()
        self.from_token = s.field("from_token").to_numpy()
        self.continuation = s.field("continuation").to_numpy(zero_copy_only=False)

    def features(self, i: int, seq_len: int, where: str, **opts) -> dict:
        a, b = self.id_offsets[i], self.id_offsets[i + 1]
        c, d = self.span_offsets[i], self.span_offsets[i + 1]
        n, pad = int(self.n_tokens[i]), int(self.pad_tokens[i])
        starts, lengths = self.start[c:d], self.length[c:d]
        check_tiling(starts, lengths, n, pad, int(b - a), seq_len, where)
        out = row_features(
            self.ids[a:b], starts, lengths, self.from_token[c:d], self.continuation[c:d], n, **opts
        )
        out["n_tokens"], out["pad_tokens"] = n, pad
        return out


class PackedDataset(IterableDataset):
    """The rows of one packed output (local path or any fsspec URL, e.g. ``s3://``), for training.

    Each item is a dict: ``input_ids``, ``labels``, ``position_ids``, ``cu_seqlens``, ``seq_lens``
    (see ``longmix.rows.row_features``), ``n_tokens``, ``pad_tokens``, ``row`` (the row number in
    packing order), ``epoch`` and ``position`` (the row's index in this rank's sequence for the epoch).

    Epoch ``e`` visits every row once, in the order of a keyed hash of (seed, e, row); rank ``r`` of
    ``world_size`` takes every ``world_size``-th of them; DataLoader workers split the rank's rows in
    blocks of ``batch_size`` so that, read back in order, they are the rank's sequence (longmix.order).
    ``state_dict()`` is (epoch, rows this rank consumed): it is exact under any number of workers when
    the rows are consumed through ``PackedLoader`` (or, with ``num_workers=0``, any DataLoader or a
    plain loop). Iterating to the end of an epoch moves on to the next one.

    Construction reads the manifest (which must say ``stage: pack, complete: true``) and the ``row``
    column of every file, and fails naming the path when the output is incomplete or a row is
    missing or doubled. Rows are then read a row group at a time (``read_ahead`` rows per pass), and a
    row whose spans do not tile it fails naming its file and row.
    """

    def __init__(
        self,
        path: str,
        rank: int = 0,
        world_size: int = 1,
        seed: int = 0,
        label_mask: str = "pad",
        *,
        shuffle: bool = True,
        position_start: int = 0,
        continue_positions: bool = False,
        batch_size: int = 1,
        read_ahead: int = 64,
        storage_options: dict | None = None,
    ):
        super().__init__()
        if world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(f"rank = {rank}, world_size = {world_size}: need 0 <= rank < world_size")
        if batch_size < 1 or read_ahead < 1:
            raise ValueError(f"batch_size = {batch_size}, read_ahead = {read_ahead}: both must be >= 1")
        self.path = str(path)
        self.rank, self.world_size, self.seed, self.shuffle = rank, world_size, seed, shuffle
        self.opts = {
            "label_mask": check_label_mask(label_mask),
            "position_start": int(position_start),
            "continue_positions": bool(continue_positions),
        }
        self.batch_size, self.read_ahead = batch_size, read_ahead
        self.fs, self.root = fsspec.core.url_to_fs(self.path, **(storage_options or {}))
        self.manifest = read_manifest(self.fs, self.root, self.path)
        self.seq_len = self.manifest["counts"]["seq_len"]
        self.num_rows = self.manifest["counts"]["rows"]
        self.files = sorted(self.fs.glob(posixpath.join(self.root, "part-*.parquet")))
        if not self.files and self.num_rows:
            raise PackedOutputError(f"{self.path}: no part-*.parquet files, but the manifest says {self.num_rows} rows")
        self._open, self._open_pid = {}, os.getpid()
        self._index()
        self.epoch, self.start, self.position = 0, 0, 0

    # ----- the index: where each row number lives -----

    def _parquet(self, f: int) -> pq.ParquetFile:
        # A forked DataLoader worker inherits the parent's handles, whose file offsets it would share
        # with its siblings: each process opens its own.
        if self._open_pid != os.getpid():
            self._open, self._open_pid = {}, os.getpid()
        pf = self._open.get(f)
        if pf is None:
            pf = self._open[f] = pq.ParquetFile(self.fs.open(self.files[f], "rb"))
        return pf

    def _index(self) -> None:
        n = self.num_rows
        self._file = np.full(n, -1, dtype=np.int32)
        self._group = np.zeros(n, dtype=np.int32)
        self._slot = np.zeros(n, dtype=np.int32)
        for f, name in enumerate(self.files):
            pf = self._parquet(f)
            missing = [c for c in COLUMNS if c not in pf.schema_arrow.names]
            if missing:
                raise PackedOutputError(f"{name}: no column {', '.join(missing)}: not a packed rows file")
            for g in range(pf.num_row_groups):
                rows = pf.read_row_group(g, columns=["row"]).column(0).to_numpy()
                bad = rows[(rows < 0) | (rows >= n)]
                if len(bad):
                    raise PackedOutputError(f"{name}: row {int(bad[0])}, but the manifest says rows 0..{n - 1}")
                values, counts = np.unique(rows, return_counts=True)
                twice = np.concatenate((values[counts > 1], rows[self._file[rows] >= 0]))
                if len(twice):
                    raise PackedOutputError(f"{name}: row {int(twice[0])} appears more than once in {self.path}")
                self._file[rows], self._group[rows] = f, g
                self._slot[rows] = np.arange(len(rows), dtype=np.int32)
        if n and (self._file < 0).any():
            r = int(np.flatnonzero(self._file < 0)[0])
            absent = int((self._file < 0).sum())
            raise PackedOutputError(
                f"{self.path}: {absent} of the manifest's {n} rows are in no file (first: row {r})"
            )

    def __getstate__(self):
        s = self.__dict__.copy()
        s["_open"] = {}  # file handles are per process
        return s

    # ----- which rows, and the state that says how far we are -----

    def _rank_rows(self) -> np.ndarray:
        o = order.epoch_order(self.num_rows, self.seed, self.epoch, self.shuffle)
        return order.rank_rows(o, self.rank, self.world_size, self.start)

    def __len__(self) -> int:
        """Rows this rank has left in the current epoch (what the next pass yields)."""
        left = self.num_rows - self.start
        mine = max(0, -(-(left - self.rank) // self.world_size))
        return max(0, mine - self.position)

    def set_epoch(self, epoch: int) -> None:
        """Starts epoch ``epoch`` from its beginning (as DistributedSampler.set_epoch)."""
        self.epoch, self.start, self.position = int(epoch), 0, 0

    def state_dict(self) -> dict:
        """Where this rank is: epoch and rows consumed in it, plus what identifies the order."""
        return {
            "format": STATE_FORMAT,
            "content_digest": self.manifest["counts"].get("content_digest"),
            "rows": self.num_rows,
            "seed": self.seed,
            "shuffle": self.shuffle,
            "epoch": self.epoch,
            "world_size": self.world_size,
            "rank": self.rank,
            "start": self.start,
            "position": self.position,
        }

    def load_state_dict(self, state: dict) -> None:
        """Resumes at ``state``. With the world size it was saved under, the rank goes on exactly where
        it stopped (the number of workers may differ). Under another world size it resumes the epoch
        at global position ``start + position * old_world_size``: exact when every rank had consumed
        the same number of rows, as synchronous data parallelism does."""
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"state format {state.get('format')!r}: expected {STATE_FORMAT!r}")
        mine = self.state_dict()
        for key in ("content_digest", "rows", "seed", "shuffle"):
            if state[key] != mine[key]:
                raise ValueError(
                    f"state has {key} = {state[key]!r} but this dataset {mine[key]!r}: resuming would"
                    " not continue the same order of the same rows"
                )
        self.epoch = int(state["epoch"])
        if state["world_size"] == self.world_size:
            if state["rank"] != self.rank:
                raise ValueError(f"state of rank {state['rank']} loaded into rank {self.rank}")
            self.start, self.position = int(state["start"]), int(state["position"])
        else:
            done = int(state["start"]) + int(state["position"]) * int(state["world_size"])
            self.start, self.position = min(done, self.num_rows), 0

    def _consumed(self, epoch: int, position: int) -> None:
        if self.epoch == epoch:
            self.position = position

    def _finish_epoch(self, epoch: int) -> None:
        if self.epoch == epoch:
            self.set_epoch(epoch + 1)

    # ----- reading -----

    def _read(self, rows: np.ndarray):
        """Features of ``rows`` in that order, reading each row group they touch once."""
        files, groups = self._file[rows], self._group[rows]
        out = [None] * len(rows)
        for f, g in sorted(set(zip(files.tolist(), groups.tolist()))):
            sel = np.flatnonzero((files == f) & (groups == g))
            rg = _RowGroup(self._parquet(f).read_row_group(g, columns=COLUMNS))
            for i in sel.tolist():
                r, slot = int(rows[i]), int(self._slot[rows[i]])
                where = f"{self.files[f]}: row {r}"
                if int(rg.row[slot]) != r:
                    raise PackedOutputError(f"{where}: found row {int(rg.row[slot])} there; the files changed")
                feats = rg.features(slot, self.seq_len, where, **self.opts)
                feats["row"] = r
                out[i] = feats
        return out

    def row(self, n: int) -> dict:
        """The features of row number ``n`` (for inspection; training goes through iteration)."""
        if not 0 <= n < self.num_rows:
            raise IndexError(f"row {n}: {self.path} has rows 0..{self.num_rows - 1}")
        return self._read(np.array([n]))[0]

    def __iter__(self):
        info = get_worker_info()
        worker, workers = (0, 1) if info is None else (info.id, info.num_workers)
        main = info is None
        epoch, first = self.epoch, self.position
        remaining = self._rank_rows()[first:]
        mine = order.worker_positions(len(remaining), self.batch_size, worker, workers)
        for a in range(0, len(mine), self.read_ahead):
            idx = mine[a : a + self.read_ahead]
            for i, feats in zip(idx.tolist(), self._read(remaining[idx])):
                feats["epoch"], feats["position"] = epoch, first + i
                if main:
                    self.position = first + i + 1
                yield feats
        if main:
            self._finish_epoch(epoch)


_STACKED = ("input_ids", "labels", "position_ids")
_SCALARS = ("row", "epoch", "position", "n_tokens", "pad_tokens")


def collate(samples: list[dict]) -> dict:
    """Batches rows: ``input_ids``, ``labels``, ``position_ids`` stacked ``[B, seq_len]``; ``cu_seqlens``
    (int32) over the flattened ``B * seq_len`` tokens and ``max_seqlen``, as flash-attn's varlen
    functions take them; ``seq_lens`` concatenated; the per-row numbers as int64 ``[B]`` tensors."""
    out = {k: torch.stack([s[k] for s in samples]) for k in _STACKED}
    seq_len = out["input_ids"].shape[1]
    cus = [s["cu_seqlens"][:-1].long() + i * seq_len for i, s in enumerate(samples)]
    cus.append(torch.tensor([len(samples) * seq_len]))
    out["cu_seqlens"] = torch.cat(cus).to(torch.int32)
    out["seq_lens"] = torch.cat([s["seq_lens"] for s in samples])
    out["max_seqlen"] = int(out["seq_lens"].max())
    for k in _SCALARS:
        out[k] = torch.tensor([s[k] for s in samples], dtype=torch.long)
    return out


class PackedLoader(DataLoader):
    """A DataLoader over a PackedDataset that records what the trainer took, for exact resume.

    Every batch it yields advances the dataset's position (checked against the rows' own positions,
    so an out-of-order loader fails loudly instead of resuming wrong); ``state_dict()`` is the
    dataset's. It sets the dataset's ``batch_size`` (the block each worker takes) to its own. Persistent workers and ``in_order=False`` are refused: a persistent worker keeps the
    dataset state of the pass it started in, and out-of-order batches are not a prefix.
    """

    def __init__(self, dataset: PackedDataset, batch_size: int = 1, num_workers: int = 0, **kwargs):
        if not isinstance(dataset, PackedDataset):
            raise TypeError(f"PackedLoader reads a PackedDataset, not {type(dataset).__name__}")
        for key in ("persistent_workers", "sampler", "batch_sampler", "shuffle", "drop_last"):
            if kwargs.get(key):
                raise ValueError(f"PackedLoader: {key} is not supported (the dataset orders and shards rows)")
        if kwargs.get("in_order", True) is not True:
            raise ValueError("PackedLoader: in_order=False would hand rows out of the rank's order")
        kwargs.setdefault("collate_fn", collate)
        dataset.batch_size = batch_size
        super().__init__(dataset, batch_size=batch_size, num_workers=num_workers, **kwargs)

    def __iter__(self):
        ds = self.dataset
        epoch, expected = ds.epoch, ds.position
        for batch in super().__iter__():
            got = batch["position"].tolist()
            if got != list(range(expected, expected + len(got))) or set(batch["epoch"].tolist()) != {epoch}:
                raise RuntimeError(
                    f"rows arrived out of order (epoch {epoch}, positions {got[:4]}..., expected from"
                    f" {expected}): the loader must return batches in order"
                )
            expected += len(got)
            if self.num_workers > 0:  # with no workers the dataset counted them itself
                ds._consumed(epoch, expected)
            yield batch
        if self.num_workers > 0:
            ds._finish_epoch(epoch)

    def state_dict(self) -> dict:
        return self.dataset.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.dataset.load_state_dict(state)
