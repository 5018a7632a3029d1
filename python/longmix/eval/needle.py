"""Needle-in-a-Haystack: greedy answers to the evalset's prompts, scored per grid point (Fig. 1).

Each prompt is ``input_ids + question_ids``; the model continues it greedily (no sampling, one beam)
for at most ``max_new_tokens`` tokens or until its EOS, and the new tokens are decoded with special
tokens skipped and surrounding whitespace stripped. Two scores per answer:

* ``recalled`` (0 or 1): the normalised answer occurs in the normalised output as a run of whole
  words. Normalising lower-cases (Unicode case folding), keeps runs of letters and digits as words and
  drops everything else (punctuation, underscores), then joins the words with single spaces.
* ``rouge1_recall`` (0..1): ROUGE-1 recall of the answer's unigrams in the output, on the same words:
  ``sum over words w of min(count in answer, count in output) / number of answer words``; no stemming,
  no stop-word removal.

A grid point's score is the mean over its prompts (an evalset usually has one per point).
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter

import torch

from .evalset import depth_key

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list:
    """The text's words: runs of letters and digits, case-folded."""
    return _WORD.findall(text.casefold())


def normalise(text: str) -> str:
    return " ".join(words(text))


def recalled(answer: str, output: str) -> bool:
    """Whether the answer's words occur, in order and adjacent, among the output's words."""
    a = normalise(answer)
    return bool(a) and f" {a} " in f" {normalise(output)} "


def rouge1_recall(answer: str, output: str) -> float:
    """Clipped unigram overlap of output with answer, over the answer's unigram count."""
    want = Counter(words(answer))
    if not want:
        raise ValueError(f"answer {answer!r} has no words to recall")
    got = Counter(words(output))
    return sum(min(c, got[w]) for w, c in want.items()) / sum(want.values())


def greedy_generate(model, prompts: torch.Tensor, max_new_tokens: int, eos_token_id, pad_token_id) -> list:
    """New token ids per row of ``prompts`` (a [rows, length] batch without padding), EOS excluded."""
    from transformers import GenerationConfig

    config = GenerationConfig(
        max_new_tokens=max_new_tokens,
        do_sample=False,
        num_beams=1,
        eos_token_id=eos_token_id,
        pad_token_id=pad_token_id,
    )
    with torch.no_grad():
        out = model.generate(
            input_ids=prompts, attention_mask=torch.ones_like(prompts), generation_config=config
        )
    eos = set(eos_token_id if isinstance(eos_token_id, (list, tuple)) else [eos_token_id]) - {None}
    result = []
    for row in out[:, prompts.shape[1] :].tolist():
        cut = next((k for k, t in enumerate(row) if t in eos), len(row))
        result.append(row[:cut])
    return result


def plan_prompts(rows: list, batch_size: int, max_context_length=None) -> tuple:
    """(batches of row indices of equal prompt length, longest first; indices of rows skipped).

    Rows whose context_length exceeds ``max_context_length`` are skipped (not run; scored as
    missing). Prompts are never padded: a batch only holds prompts of the same token count.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    too_long = [bool(max_context_length) and r["context_length"] > max_context_length for r in rows]
    skipped = [i for i, t in enumerate(too_long) if t]
    run = [i for i, t in enumerate(too_long) if not t]
    by_len = {}
    for i in run:
        by_len.setdefault(len(rows[i]["input_ids"]) + len(rows[i]["question_ids"]), []).append(i)
    batches = []
    for length in sorted(by_len, reverse=True):
        idx = by_len[length]
        batches += [idx[k : k + batch_size] for k in range(0, len(idx), batch_size)]
    return batches, skipped


def answer_rows(model, tokenizer, rows, *, device, max_new_tokens, batch_size, max_positions,
                max_context_length=None, log=sys.stderr, generate=None) -> list:
    """One result per needle row (in row order): the output text and its two scores."""
    generate = generate or greedy_generate
    eos = getattr(model.generation_config, "eos_token_id", None)
    if eos is None:
        eos = tokenizer.eos_token_id
    pad = tokenizer.pad_token_id
    if pad is None:  # never used for padding (a batch is of equal lengths); generate wants one
        pad = eos[0] if isinstance(eos, (list, tuple)) else eos
    batches, skipped = plan_prompts(rows, batch_size, max_context_length)
    results = [None] * len(rows)
    t0 = time.time()
    for k, batch in enumerate(batches):
        prompts = torch.tensor(
            [rows[i]["input_ids"] + rows[i]["question_ids"] for i in batch], dtype=torch.long, device=device
        )
        new = generate(model, prompts, max_new_tokens, eos, pad)
        for i, ids in zip(batch, new):
            r = rows[i]
            text = tokenizer.decode(ids, skip_special_tokens=True).strip()
            results[i] = {
                "context_length": r["context_length"],
                "depth_percent": r["depth_percent"],
                "needle_token_position": r["needle_token_position"],
                "actual_depth_percent": 100.0 * r["needle_token_position"] / r["context_length"],
                "prompt_tokens": prompts.shape[1],
                "beyond_max_positions": bool(max_positions) and prompts.shape[1] + max_new_tokens > max_positions,
                "skipped": False,
                "output": text,
                "output_tokens": len(ids),
                "recalled": float(recalled(r["answer"], text)),
                "rouge1_recall": rouge1_recall(r["answer"], text),
            }
        if log is not None:
            print(
                f"needle: batch {k + 1}/{len(batches)}, context {rows[batch[0]]['context_length']},"
                f" {time.time() - t0:,.0f} s",
                file=log,
                flush=True,
            )
    for i in skipped:
        r = rows[i]
        results[i] = {
            "context_length": r["context_length"],
            "depth_percent": r["depth_percent"],
            "needle_token_position": r["needle_token_position"],
            "actual_depth_percent": 100.0 * r["needle_token_position"] / r["context_length"],
            "prompt_tokens": len(r["input_ids"]) + len(r["question_ids"]),
            "beyond_max_positions": False,
            "skipped": True,
            "output": None,
            "output_tokens": 0,
            "recalled": None,
            "rouge1_recall": None,
        }
    return results


def grid_scores(spec, results) -> list:
    """One record per manifest grid point (lengths outer, depths inner): mean scores over its prompts."""
    acc = {}
    for r in results:
        acc.setdefault((r["context_length"], depth_key(r["depth_percent"])), []).append(r)
    out = []
    for length, depth in spec.grid():
        rs = acc.get((length, depth_key(depth)), [])
        ran = [r for r in rs if not r["skipped"]]
        out.append(
            {
                "context_length": length,
                "depth_percent": depth,
                "prompts": len(rs),
                "scored": len(ran),
                "beyond_max_positions": any(r["beyond_max_positions"] for r in ran),
                "recalled": (sum(r["recalled"] for r in ran) / len(ran)) if ran else None,
                "rouge1_recall": (sum(r["rouge1_recall"] for r in ran) / len(ran)) if ran else None,
            }
        )
    return out
