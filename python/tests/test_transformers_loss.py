"""A real model's check: a packed row with the loader's document masking has the loss of its documents
run one by one; without masking it does not.

A tiny LlamaForCausalLM (hidden 64, 2 layers, 4 query and 2 key/value heads, RoPE), random weights
from a fixed seed, float32 on CPU. Its vocabulary is the largest id in the row + 1, so the row's own
ids are used unchanged (a tokenizer's 32,000 ids would only make the embedding bigger). The weights
are initialised with std 0.2 instead of Llama's 0.02: at 0.02 the logits are nearly uniform, every
loss is ~ln(vocab) and the difference masking makes would drown in noise.
"""

import pytest
import torch

transformers = pytest.importorskip("transformers")
from transformers import LlamaConfig, LlamaForCausalLM  # noqa: E402

from longmix import IGNORE_INDEX, PackedDataset, block_causal_mask  # noqa: E402

TOLERANCE = 1e-4
MIN_UNMASKED_DIFFERENCE = 1e-3


def busiest_row(packed):
    """The row with the most spans (2 at least), its features under pad+doc_start."""
    ds = PackedDataset(packed, label_mask="pad+doc_start", shuffle=False)
    best = max(ds, key=lambda x: (len(x["seq_lens"]) - (x["pad_tokens"] > 0), x["pad_tokens"] > 0))
    assert len(best["seq_lens"]) - (best["pad_tokens"] > 0) >= 2, f"{packed}: no row holds two spans"
    return best


def tiny_llama(vocab, seq_len, attn):
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=seq_len,
        initializer_range=0.2,
        attn_implementation=attn,
    )
    return LlamaForCausalLM(config).eval()


def per_document_loss(model, x):
    """Token-weighted mean of each span's own loss, every span run alone from position 0."""
    total, count = 0.0, 0
    cu = x["cu_seqlens"].tolist()
    for a, b in zip(cu[:-1], cu[1:]):
        if a >= x["n_tokens"] or b - a < 2:  # padding; or one token, nothing to predict
            continue
        ids = x["input_ids"][a:b][None]
        with torch.no_grad():
            loss = model(input_ids=ids, labels=ids, use_cache=False).loss
        total += loss.item() * (b - a - 1)
        count += b - a - 1
    assert count == int((x["labels"] != IGNORE_INDEX).sum()), "the packed row trains the same tokens"
    return total / count


def packed_loss(model, x, **inputs):
    with torch.no_grad():
        return model(input_ids=x["input_ids"][None], labels=x["labels"][None], use_cache=False, **inputs).loss.item()


@pytest.fixture(params=["sdpa", "eager"])
def setting(request, packed):
    x = busiest_row(packed)
    return x, tiny_llama(int(x["input_ids"].max()) + 1, len(x["input_ids"]), request.param), request.param


def test_masked_packed_loss_equals_the_documents_run_alone(setting, packed):
    x, model, attn = setting
    mask = block_causal_mask(x["cu_seqlens"])[None, None]
    if attn == "eager":  # eager attention adds its mask to the scores
        mask = torch.zeros(mask.shape).masked_fill(~mask, torch.finfo(torch.float32).min)
    masked = packed_loss(model, x, attention_mask=mask, position_ids=x["position_ids"][None])
    alone = per_document_loss(model, x)
    unmasked = packed_loss(model, x)  # plain causal attention, positions 0..L-1, same labels
    print(
        f"\n{packed} row {x['row']} ({attn}): {len(x['seq_lens'])} segments of"
        f" {x['seq_lens'].tolist()[:6]}; packed+mask {masked:.6f}, per-document mean {alone:.6f}"
        f" (|diff| {abs(masked - alone):.2e}), no mask {unmasked:.6f} (|diff| {abs(unmasked - alone):.2e})"
    )
    assert abs(masked - alone) < TOLERANCE
    assert abs(unmasked - alone) > MIN_UNMASKED_DIFFERENCE


def test_position_ids_alone_mask_the_documents_in_this_transformers(packed):
    """transformers (5.18 pinned here) detects packed sequences from position ids that restart
    (masking_utils.find_packed_sequence_indices) when no attention mask and no cache are given: the
    loader's position ids, which also restart at the padding, are then enough."""
    masking = pytest.importorskip("transformers.masking_utils")
    if not hasattr(masking, "find_packed_sequence_indices"):
        pytest.skip(f"transformers {transformers.__version__} has no packed-sequence detection")
    x = busiest_row(packed)
    segments = masking.find_packed_sequence_indices(x["position_ids"][None])
    assert segments is not None and segments.max() + 1 == len(x["seq_lens"]), "one sequence per segment"
    model = tiny_llama(int(x["input_ids"].max()) + 1, len(x["input_ids"]), "sdpa")
    by_positions = packed_loss(model, x, position_ids=x["position_ids"][None])
    alone = per_document_loss(model, x)
    print(f"\n{packed} row {x['row']}: position ids only {by_positions:.6f}, per-document {alone:.6f}")
    assert abs(by_positions - alone) < TOLERANCE
