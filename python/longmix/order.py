"""Which rows an epoch visits, in which order, and which of them a rank and a DataLoader worker take.

Pure arithmetic on row numbers (no I/O), so the sharding invariants are tested without any data:

* an epoch's order is the rows sorted by ``row_key(seed, epoch, row)``, a keyed 64-bit hash, so it
  depends on nothing but (seed, epoch) and every row appears exactly once;
* a rank takes every ``world_size``-th position of that order, starting at its rank, after the
  ``start`` rows that earlier ranks (of another world size) already consumed together;
* the rank's remaining rows are cut into blocks of ``block`` (the DataLoader's batch size) and worker
  ``j`` of ``n`` takes blocks ``j, j + n, j + 2n, ...``. A DataLoader with ``in_order=True`` (the
  default) returns batch ``k`` from worker ``k mod n``, so the rows it hands out, whatever ``n`` is,
  are the rank's sequence in order: what a rank has consumed is a prefix, one count says it.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: a bijection on 64-bit ints that spreads every input bit."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x = x ^ (x >> np.uint64(27))
        x = x * _M2
        return x ^ (x >> np.uint64(31))


def row_key(seed: int, epoch: int, rows) -> np.ndarray:
    """The sort key of each row in epoch ``epoch`` under ``seed`` (uint64)."""
    with np.errstate(over="ignore"):
        k = _mix64(np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))
        k = _mix64(k ^ (np.array([epoch & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64) * _GOLDEN))
        return _mix64(np.asarray(rows, dtype=np.uint64) ^ k)


def epoch_order(n_rows: int, seed: int, epoch: int, shuffle: bool = True) -> np.ndarray:
    """Row numbers ``0..n_rows-1`` in the order epoch ``epoch`` visits them (int64)."""
    rows = np.arange(n_rows, dtype=np.int64)
    if not shuffle:
        return rows
    # Stable, so the (astronomically rare) equal keys still give one order everywhere.
    return rows[np.argsort(row_key(seed, epoch, rows), kind="stable")]


def rank_rows(order: np.ndarray, rank: int, world_size: int, start: int = 0) -> np.ndarray:
    """The rows rank ``rank`` of ``world_size`` visits, from global position ``start`` of ``order``."""
    if not 0 <= rank < world_size:
        raise ValueError(f"rank = {rank}: must be in [0, world_size = {world_size})")
    return order[start:][rank::world_size]


def worker_positions(n_remaining: int, block: int, worker: int, num_workers: int) -> np.ndarray:
    """Indices (into a rank's remaining rows) that worker ``worker`` of ``num_workers`` yields, in order."""
    if block < 1:
        raise ValueError(f"batch_size = {block}: must be >= 1")
    idx = np.arange(n_remaining, dtype=np.int64)
    return idx[(idx // block) % num_workers == worker]
