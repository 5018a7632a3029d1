"""What a trainer needs from one packed row, computed from its spans alone (no I/O).

A packed row is ``seq_len`` token ids whose first ``n_tokens`` are tiled, from 0 and without gaps, by
spans (one per document or piece of a document); the last ``pad_tokens`` ids are padding. Padding is
only ever that tail, so every function here masks it from the counts alone, whatever packed the row.
"""

from __future__ import annotations

import numpy as np
import torch

IGNORE_INDEX = -100
"""The label cross-entropy ignores (torch's and Hugging Face's default ``ignore_index``)."""

LABEL_MASKS = ("pad", "pad+doc_start")
"""``pad``: only padding is ignored. ``pad+doc_start``: also the first token of every span, whose
prediction would come from the end of another document."""


class PackedOutputError(ValueError):
    """A packed output, or one of its rows, breaks the format's contract; the message names where."""


def check_label_mask(label_mask: str) -> str:
    if label_mask not in LABEL_MASKS:
        raise ValueError(f"label_mask = {label_mask!r}: must be one of {', '.join(LABEL_MASKS)}")
    return label_mask


def check_tiling(starts, lengths, n_tokens: int, pad_tokens: int, n_ids: int, seq_len: int, where: str) -> None:
    """Raises PackedOutputError (naming ``where``) unless the spans tile ``[0, n_tokens)`` from 0 and
    ``n_tokens + pad_tokens == n_ids == seq_len``."""
    if n_ids != seq_len:
        raise PackedOutputError(f"{where}: {n_ids} input ids, but the output's seq_len is {seq_len}")
    if pad_tokens < 0 or n_tokens <= 0 or n_tokens + pad_tokens != seq_len:
        raise PackedOutputError(
            f"{where}: n_tokens {n_tokens} + pad_tokens {pad_tokens} must be {seq_len}, with n_tokens > 0"
        )
    if len(starts) == 0:
        raise PackedOutputError(f"{where}: no spans, but {n_tokens} data tokens")
    ends = np.asarray(starts, dtype=np.int64) + np.asarray(lengths, dtype=np.int64)
    expected = np.concatenate(([0], ends[:-1]))
    bad = np.flatnonzero((np.asarray(starts) != expected) | (np.asarray(lengths) <= 0))
    if len(bad):
        i = int(bad[0])
        raise PackedOutputError(
            f"{where}: span {i} covers [{int(starts[i])}, {int(ends[i])}), expected it to start at"
            f" {int(expected[i])} with a positive length (spans must tile [0, n_tokens) from 0)"
        )
    if int(ends[-1]) != n_tokens:
        raise PackedOutputError(f"{where}: spans cover [0, {int(ends[-1])}), but n_tokens is {n_tokens}")


def segment_lengths(lengths, n_tokens: int, seq_len: int) -> np.ndarray:
    """The attention segments of a row: one per span, then the padding tail as a segment of its own
    (so every position, padding included, belongs to exactly one segment)."""
    lens = np.asarray(lengths, dtype=np.int64)
    if seq_len > n_tokens:
        lens = np.append(lens, seq_len - n_tokens)
    return lens


def row_features(
    input_ids,
    starts,
    lengths,
    from_tokens,
    continuations,
    n_tokens: int,
    *,
    label_mask: str = "pad",
    position_start: int = 0,
    continue_positions: bool = False,
) -> dict:
    """The training tensors of one row whose spans are already checked (``check_tiling``).

    Returns ``input_ids``, ``labels`` (int64, aligned with ``input_ids`` as Hugging Face models take
    them: the model shifts; ``IGNORE_INDEX`` on padding, and on span starts under ``pad+doc_start``),
    ``position_ids`` (int64; restart at ``position_start`` in every segment; a continuation span goes
    on from its ``from_token`` when ``continue_positions``), ``cu_seqlens`` (int32, cumulative segment
    lengths from 0 to ``seq_len``, the padding tail its own last segment) and ``seq_lens`` (int32,
    the segment lengths).
    """
    check_label_mask(label_mask)
    ids = torch.from_numpy(np.array(input_ids, dtype=np.int64))  # a copy: Arrow buffers are read-only
    seq_len = ids.numel()
    lens = segment_lengths(lengths, n_tokens, seq_len)
    seg_starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    base = np.full(len(lens), position_start, dtype=np.int64)
    if continue_positions:
        n = len(lengths)
        cont = np.asarray(continuations, dtype=bool)
        base[:n] += np.where(cont, np.asarray(from_tokens, dtype=np.int64), 0)
    offsets = np.repeat(base - seg_starts, lens)
    position_ids = torch.from_numpy(np.arange(seq_len, dtype=np.int64) + offsets)

    labels = ids.clone()
    labels[n_tokens:] = IGNORE_INDEX
    if label_mask == "pad+doc_start":
        labels[torch.as_tensor(np.asarray(starts, dtype=np.int64))] = IGNORE_INDEX
    cu = np.concatenate(([0], np.cumsum(lens))).astype(np.int32)
    return {
        "input_ids": ids,
        "labels": labels,
        "position_ids": position_ids,
        "cu_seqlens": torch.from_numpy(cu),
        "seq_lens": torch.from_numpy(lens.astype(np.int32)),
    }


def segment_ids(cu_seqlens) -> torch.Tensor:
    """The segment index of every position (int64, length ``cu_seqlens[-1]``); with it a FlexAttention
    ``mask_mod`` is ``seg[q] == seg[kv] and q >= kv``."""
    cu = torch.as_tensor(cu_seqlens).long()
    return torch.repeat_interleave(torch.arange(cu.numel() - 1), cu.diff())


def block_causal_mask(cu_seqlens) -> torch.Tensor:
    """Boolean ``[L, L]`` mask, True where query ``q`` may attend key ``k``: same segment and ``k <= q``.

    Usable as SDPA's ``attn_mask`` (unsqueeze to ``[1, 1, L, L]`` for a batch). Padding is a segment of
    its own, so every query, padding included, attends at least to itself: no row of the mask is all
    False, so softmax never sees only ``-inf`` (NaN in eager attention; kernels differ) and padding's
    outputs stay finite (its labels are ignored, and no data token attends to it).
    It holds L² booleans (6.7 GB at L = 81,920): for long rows use a varlen kernel with
    ``cu_seqlens`` or FlexAttention with ``segment_ids``.
    """
    seg = segment_ids(cu_seqlens)
    n = seg.numel()
    causal = torch.ones(n, n, dtype=torch.bool).tril_()
    return causal & (seg[:, None] == seg[None, :])
