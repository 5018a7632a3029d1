"""The per-row math: labels, position ids, cu_seqlens and the block mask, on literal rows."""

import pytest
import torch
import torch.nn.functional as F

from longmix import IGNORE_INDEX, PackedOutputError, block_causal_mask, row_features, segment_ids
from longmix.rows import check_tiling

# A row of 10 ids: a continuation of 3 tokens (from token 5 of its item), a document of 4, then 3 pad.
IDS = [7, 8, 9, 1, 4, 5, 6, 0, 0, 0]
STARTS, LENGTHS, FROM, CONT = [0, 3], [3, 4], [5, 0], [True, False]


def features(**opts):
    return row_features(IDS, STARTS, LENGTHS, FROM, CONT, 7, **opts)


def test_positions_restart_at_every_span_and_at_the_padding():
    f = features()
    assert f["position_ids"].tolist() == [0, 1, 2, 0, 1, 2, 3, 0, 1, 2]
    assert f["position_ids"].dtype == torch.long


def test_position_start_and_continued_positions():
    assert features(position_start=1)["position_ids"].tolist() == [1, 2, 3, 1, 2, 3, 4, 1, 2, 3]
    assert features(continue_positions=True)["position_ids"].tolist() == [5, 6, 7, 0, 1, 2, 3, 0, 1, 2]


def test_labels_mask_the_padding_and_optionally_span_starts():
    X = IGNORE_INDEX
    assert features()["labels"].tolist() == [7, 8, 9, 1, 4, 5, 6, X, X, X]
    assert features(label_mask="pad+doc_start")["labels"].tolist() == [X, 8, 9, X, 4, 5, 6, X, X, X]
    with pytest.raises(ValueError, match="label_mask = 'doc'"):
        features(label_mask="doc")


def test_cu_seqlens_cover_every_token_with_the_padding_as_its_own_segment():
    f = features()
    assert f["cu_seqlens"].dtype == torch.int32 and f["seq_lens"].dtype == torch.int32
    assert f["cu_seqlens"].tolist() == [0, 3, 7, 10]
    assert f["seq_lens"].tolist() == [3, 4, 3]
    full = row_features(IDS[:7], STARTS, LENGTHS, FROM, CONT, 7)
    assert full["cu_seqlens"].tolist() == [0, 3, 7]
    assert segment_ids(f["cu_seqlens"]).tolist() == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]


def test_block_causal_mask_is_block_diagonal_causal():
    m = block_causal_mask(torch.tensor([0, 3, 7, 10], dtype=torch.int32))
    expected = torch.block_diag(*[torch.ones(k, k, dtype=torch.bool).tril() for k in (3, 4, 3)])
    assert m.dtype == torch.bool and torch.equal(m, expected)
    assert m.any(dim=1).all(), "every query, padding included, may attend to something"


def test_sdpa_with_the_mask_is_attention_inside_each_segment_and_never_nan():
    torch.manual_seed(0)
    cu = [0, 3, 7, 10]
    q, k, v = (torch.randn(1, 2, 10, 8) for _ in range(3))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=block_causal_mask(cu))
    assert not out.isnan().any()
    alone = [
        F.scaled_dot_product_attention(q[..., a:b, :], k[..., a:b, :], v[..., a:b, :], is_causal=True)
        for a, b in zip(cu[:-1], cu[1:])
    ]
    torch.testing.assert_close(out, torch.cat(alone, dim=2))


def test_a_fully_masked_query_is_what_the_padding_segment_avoids():
    # Were padding masked out entirely (no True in its rows), eager attention with an additive -inf
    # mask would softmax over -inf only: NaN, which then reaches every later layer's padding. (SDPA
    # kernels differ here: torch 2.13's CPU kernel returns zeros.) A segment of its own avoids both.
    scores = torch.randn(4, 4).masked_fill(~block_causal_mask([0, 2, 4]), float("-inf"))
    assert not scores.softmax(-1).isnan().any()
    scores[3] = float("-inf")
    assert scores.softmax(-1)[3].isnan().all()


@pytest.mark.parametrize(
    "starts, lengths, n, pad, n_ids, message",
    [
        ([0, 4], [3, 4], 7, 3, 10, "span 1 covers \\[4, 8\\), expected it to start at 3"),
        ([0, 2], [3, 4], 7, 3, 10, "span 1 covers \\[2, 6\\), expected it to start at 3"),
        ([0, 3], [3, 0], 3, 7, 10, "span 1 covers \\[3, 3\\)"),
        ([0, 3], [3, 3], 7, 3, 10, "spans cover \\[0, 6\\), but n_tokens is 7"),
        ([1], [6], 7, 3, 10, "span 0 covers \\[1, 7\\), expected it to start at 0"),
        ([0], [7], 7, 2, 10, "n_tokens 7 \\+ pad_tokens 2 must be 10"),
        ([0], [7], 7, 3, 9, "9 input ids, but the output's seq_len is 10"),
        ([], [], 7, 3, 10, "no spans"),
    ],
)
def test_rows_whose_spans_do_not_tile_them_fail_naming_the_row(starts, lengths, n, pad, n_ids, message):
    with pytest.raises(PackedOutputError, match="part-7.parquet: row 12: " + message):
        check_tiling(starts, lengths, n, pad, n_ids, 10, "part-7.parquet: row 12")


def test_a_tiled_row_passes():
    check_tiling(STARTS, LENGTHS, 7, 3, 10, 10, "row")
