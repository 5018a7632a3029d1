"""Training-side reader of longmix's packed Parquet rows.

``PackedDataset`` yields each row's ``input_ids``, ``labels``, ``position_ids``, ``cu_seqlens`` and
``seq_lens``, sharded across ranks and DataLoader workers, every row once per epoch, resumable
exactly; ``PackedLoader`` is the DataLoader that records what was consumed; ``block_causal_mask``
turns ``cu_seqlens`` into an SDPA mask; ``longmix.megatron`` reads Megatron-LM indexed datasets.
"""

from .dataset import PackedDataset, PackedLoader, collate, read_manifest
from .rows import IGNORE_INDEX, PackedOutputError, block_causal_mask, row_features, segment_ids

__all__ = [
    "IGNORE_INDEX",
    "PackedDataset",
    "PackedLoader",
    "PackedOutputError",
    "block_causal_mask",
    "collate",
    "read_manifest",
    "row_features",
    "segment_ids",
]
