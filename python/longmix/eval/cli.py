"""``python -m longmix.eval`` (also ``longmix-eval``): score a causal LM on an evalset."""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time

from .evalset import Evalset, ScorerError

DESCRIPTION = """\
Scores a Hugging Face causal LM on a longmix evalset (docs/evaluation.md): validation loss per
domain x length class (Fu et al. 2024, Table 5) and the needle-in-a-haystack grid (its Fig. 1).
Runs on CPU (tests, tiny models) or CUDA. Every command writes its resolved configuration into
its JSON output, so each result says how it was made.
"""

LOSS_HELP = """\
What loss means: per (domain, length class) cell of the manifest, the token-weighted mean
next-token negative log-likelihood in nats: sum of -log p(token i+1 | tokens 0..i) over every
predicted token of the cell's documents, divided by their number. A document of n scored tokens
predicts n-1 (its first token, the BOS, is context only). This is the number Table 5 reports per
domain and class; the "all tokens" row weighs every token alike, "mean of domains" every domain.

Truncation: a document longer than --max-tokens (default: the model's max_position_embeddings)
is TRUNCATED to its first --max-tokens tokens; no sliding window. loss.csv counts per cell the
truncated documents and the tokens not scored. Documents the evalset stage itself cut to its
maximum carry cut=true and are counted as cut_documents.

Batching: documents are sorted longest first and grouped so that rows x longest <= --batch-tokens;
a document longer than that runs alone, whole (it is never split into chunks). Batches are
right-padded and run without an attention mask, which under causal attention leaves every
document's loss what it is alone. Logits are computed from the decoder's last hidden state in
slices of --logits-chunk positions (float32), checked once against the model's own forward.

Writes to --out: loss.csv, loss.json, documents.csv (per document), table5.md, table5.html; with
--baseline also diff.csv, diff.md, diff.html: delta = model - baseline per cell, |delta| <=
--significance (0.01, the paper's) grey/not significant, higher loss red/worse, lower green/better.
"""

NEEDLE_HELP = """\
For each needle prompt of the evalset: input_ids + question_ids, continued greedily (no sampling,
one beam) for up to --max-new-tokens tokens (default 50, the authors') or until EOS; the new
tokens are decoded with special tokens skipped. Scores per answer: recalled = 1 if the normalised
answer occurs in the normalised output as whole words, else 0 (normalised: case-folded, words =
runs of letters and digits, punctuation dropped); rouge1_recall = clipped overlap of the answer's
words with the output's words / number of answer words (no stemming). A grid point's score is the
mean over its prompts.

Truncation: prompts are never truncated or padded. A prompt whose tokens plus --max-new-tokens
exceed the model's max_position_embeddings still runs and is flagged beyond_max_positions (dashed
in the HTML, a white dashed line in the PNG); --max-context-length skips longer context lengths
(their points are written as not scored).

Batching: --batch-size prompts of the same token count at a time (default 1; the grid's prompts of
one context length have equal lengths), longest first.

Writes to --out: needle.csv (per prompt, with the output text), needle_grid.csv, needle.json,
needle_rouge1_recall.png, needle_recalled.png, needle.html.
"""


def _common(p):
    p.add_argument("--model", required=True, help="model directory or hub id (AutoModelForCausalLM)")
    p.add_argument("--evalset", required=True, help="evalset directory (local path or fsspec URL)")
    p.add_argument("--out", required=True, help="output directory (created; files in it are overwritten)")
    p.add_argument("--tokenizer", help="tokenizer directory (default: --model)")
    p.add_argument("--device", default="auto", help="cpu, cuda or cuda:N (default auto: cuda when available)")
    p.add_argument("--dtype", default="auto", choices=["auto", "float32", "bfloat16", "float16"],
                   help="weights' dtype (default auto: bfloat16 on cuda, float32 on cpu)")
    p.add_argument("--attn-implementation", default="auto",
                   help="passed to from_pretrained (sdpa, eager, flash_attention_2; default: the model's)")
    p.add_argument("--allow-tokenizer-mismatch", action="store_true",
                   help="score even when the tokenizer's tokenizer.json differs from the evalset's tokenizer_sha256")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m longmix.eval", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    loss = sub.add_parser("loss", help="validation loss per domain x length class (Table 5)", description=LOSS_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(loss)
    loss.add_argument("--baseline", help="another run's --out directory (or its loss.csv) to compare with")
    loss.add_argument("--batch-tokens", type=int, default=65536,
                      help="most padded tokens per batch, rows x longest (default 65536)")
    loss.add_argument("--max-tokens", type=int,
                      help="documents are truncated to this many tokens (default: max_position_embeddings)")
    loss.add_argument("--logits-chunk", type=int, default=16384,
                      help="positions x rows per slice of logits (default 16384)")
    loss.add_argument("--significance", type=float, default=0.01, help="|delta| treated as not significant (0.01)")

    needle = sub.add_parser("needle", help="needle-in-a-haystack grid (Fig. 1)", description=NEEDLE_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(needle)
    needle.add_argument("--max-new-tokens", type=int, default=50, help="greedy tokens per answer (default 50)")
    needle.add_argument("--batch-size", type=int, default=1, help="prompts of equal length per generate call (1)")
    needle.add_argument("--max-context-length", type=int, help="skip grid points of longer context lengths")

    diff = sub.add_parser("diff", help="the baseline difference page of two finished loss runs, without a model",
                          description="Writes diff.csv, diff.md and diff.html for two `loss` outputs (see loss --help).")
    diff.add_argument("--run", required=True, help="a loss run's --out directory (or its loss.csv)")
    diff.add_argument("--baseline", required=True, help="the baseline run's --out directory (or its loss.csv)")
    diff.add_argument("--out", required=True)
    diff.add_argument("--significance", type=float, default=0.01)
    return parser


def _warn(msg):
    print(f"warning: {msg}", file=sys.stderr, flush=True)


def _versions():
    import torch

    try:
        import transformers

        tv = transformers.__version__
    except ImportError:  # pragma: no cover
        tv = None
    return {"python": platform.python_version(), "torch": torch.__version__, "transformers": tv}


def _positive(name, value):
    if value is not None and value < 1:
        raise ScorerError(f"{name} must be a positive integer, got {value}")


def _load(args):
    from . import models

    device = models.resolve_device(args.device)
    dtype = models.resolve_dtype(args.dtype, device)
    tok_path = args.tokenizer or args.model
    return device, dtype, tok_path, models


def _write_diff(out, rows, baseline_path, threshold, own_config):
    from . import report

    base, base_config = report.read_baseline(baseline_path)
    warnings = []
    mine_sha = own_config.get("evalset_manifest_sha256")
    theirs = base_config.get("evalset_manifest_sha256")
    if mine_sha and theirs and mine_sha != theirs:
        warnings.append("the two runs scored different evalsets (their manifests' sha256 differ)")
    if own_config.get("max_tokens") and base_config.get("max_tokens") and own_config["max_tokens"] != base_config["max_tokens"]:
        warnings.append(f"the runs truncated at different --max-tokens: {own_config['max_tokens']} and {base_config['max_tokens']}")
    for w in warnings:
        _warn(w)
    diffs = report.diff_rows(rows, base, threshold)
    config = {"run": own_config, "baseline": baseline_path, "baseline_config": base_config, "significance": threshold}
    title = "Loss difference with the baseline"
    report.write_csv(os.path.join(out, "diff.csv"), diffs,
                     ["domain", "length_class", "loss", "baseline_loss", "delta", "shade"])
    with open(os.path.join(out, "diff.md"), "w", encoding="utf-8") as f:
        f.write(report.diff_markdown(diffs, title, threshold))
    with open(os.path.join(out, "diff.html"), "w", encoding="utf-8") as f:
        f.write(report.diff_html(diffs, title, threshold, config, warnings))
    return diffs


def cmd_loss(args) -> int:
    from . import report
    from .loss import TokenScorer, cell_losses, score_documents

    t0 = time.time()
    _positive("--batch-tokens", args.batch_tokens)
    _positive("--max-tokens", args.max_tokens)
    _positive("--logits-chunk", args.logits_chunk)
    ev = Evalset(args.evalset)
    docs = ev.validation()  # the contract is checked before a model is loaded
    if args.baseline:
        report.read_baseline(args.baseline)
    device, dtype, tok_path, models = _load(args)
    tok_check = models.check_tokenizer(ev.tokenizer_sha256, tok_path, args.allow_tokenizer_mismatch, _warn) if os.path.isdir(tok_path) else "unchecked: not a local directory"
    model = models.load_model(args.model, device, dtype, args.attn_implementation)
    positions = models.max_positions(model.config)
    max_tokens = args.max_tokens or positions
    if not max_tokens:
        raise ScorerError(f"{args.model}: its config has no max_position_embeddings; pass --max-tokens")
    if positions and max_tokens > positions:
        _warn(f"--max-tokens {max_tokens} exceeds the model's max_position_embeddings {positions}")
    vocab = models.vocab_size(model)
    if docs.max_id() >= vocab:
        raise ScorerError(f"{args.evalset}: the validation ids reach {docs.max_id()}, the model's vocabulary has {vocab}")
    scorer = TokenScorer(model, device, args.logits_chunk)
    nll_sum, predicted, truncated = score_documents(scorer, docs, max_tokens, args.batch_tokens)
    rows = cell_losses(docs, nll_sum, predicted, truncated, max_tokens)
    os.makedirs(args.out, exist_ok=True)
    config = {
        "command": "loss",
        "argv": args.argv,
        "model": args.model,
        "model_class": type(model).__name__,
        "tokenizer": tok_path,
        "tokenizer_check": tok_check,
        "evalset": args.evalset,
        "evalset_manifest_sha256": ev.manifest_sha256,
        "evalset_tokenizer_sha256": ev.tokenizer_sha256,
        "device": str(device),
        "dtype": str(dtype).replace("torch.", ""),
        "attn_implementation": getattr(model.config, "_attn_implementation", args.attn_implementation),
        "max_position_embeddings": positions,
        "max_tokens": max_tokens,
        "truncation": "truncate documents to max_tokens (no sliding window)",
        "batch_tokens": args.batch_tokens,
        "logits_chunk": args.logits_chunk,
        "logits_path": scorer.sliced_reason,
        "versions": _versions(),
        "elapsed_s": round(time.time() - t0, 3),
    }
    columns = ["domain", "length_class", "documents", "tokens", "cut_documents", "predicted_tokens",
               "truncated_documents", "unscored_tokens", "loss"]
    report.write_csv(os.path.join(args.out, "loss.csv"), rows, columns)
    domains, classes, table = report.loss_table(rows)
    report.write_json(os.path.join(args.out, "loss.json"), {
        "config": config,
        "cells": rows,
        "domains": domains,
        "length_classes": classes,
        "table": {d: {c: table.get((d, c)) for c in classes} for d in domains + [report.MEAN_OF_DOMAINS, report.ALL_TOKENS]},
    })
    per_doc = [
        {"doc_id": int(docs.doc_id[i]), "domain": docs.domain[i], "length_class": docs.length_class[i],
         "n_tokens": int(docs.n_tokens[i]), "cut": bool(docs.cut[i]), "truncated": bool(truncated[i]),
         "predicted_tokens": int(predicted[i]), "nll_sum": float(nll_sum[i]),
         "loss": float(nll_sum[i] / predicted[i]) if predicted[i] else None}
        for i in range(len(docs))
    ]
    report.write_csv(os.path.join(args.out, "documents.csv"), per_doc, list(per_doc[0]) if per_doc else ["doc_id"])
    title = f"Validation loss: {os.path.basename(args.model.rstrip('/'))}"
    md = report.table5_markdown(rows, title)
    with open(os.path.join(args.out, "table5.md"), "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(args.out, "table5.html"), "w", encoding="utf-8") as f:
        f.write(report.table5_html(rows, title, config))
    if args.baseline:
        _write_diff(args.out, rows, args.baseline, args.significance, config)
    print(md)
    print(f"wrote {args.out}/ in {time.time() - t0:.1f} s ({scorer.sliced_reason})", file=sys.stderr)
    bad = [r for r in rows if r["predicted_tokens"] and not math.isfinite(r["loss"])]
    empty = [r for r in rows if not r["predicted_tokens"]]
    for r in empty:
        _warn(f"cell ({r['domain']}, {r['length_class']}) has no token to predict; its loss is empty")
    if bad:
        print(f"error: non-finite loss in {[(r['domain'], r['length_class']) for r in bad]}", file=sys.stderr)
        return 3
    return 0


def cmd_needle(args) -> int:
    from . import report
    from .needle import answer_rows, grid_scores

    t0 = time.time()
    _positive("--max-new-tokens", args.max_new_tokens)
    _positive("--batch-size", args.batch_size)
    _positive("--max-context-length", args.max_context_length)
    ev = Evalset(args.evalset)
    spec = ev.needle_spec()
    rows = ev.needle_rows()
    device, dtype, tok_path, models = _load(args)
    tok_check = models.check_tokenizer(ev.tokenizer_sha256, tok_path, args.allow_tokenizer_mismatch, _warn) if os.path.isdir(tok_path) else "unchecked: not a local directory"
    tokenizer = models.load_tokenizer(tok_path)
    model = models.load_model(args.model, device, dtype, args.attn_implementation)
    positions = models.max_positions(model.config)
    vocab = models.vocab_size(model)
    top = max(max(r["input_ids"] + r["question_ids"]) for r in rows)
    if top >= vocab:
        raise ScorerError(f"{args.evalset}: the needle ids reach {top}, the model's vocabulary has {vocab}")
    results = answer_rows(model, tokenizer, rows, device=device, max_new_tokens=args.max_new_tokens,
                          batch_size=args.batch_size, max_positions=positions,
                          max_context_length=args.max_context_length)
    grid = grid_scores(spec, results)
    os.makedirs(args.out, exist_ok=True)
    config = {
        "command": "needle",
        "argv": args.argv,
        "model": args.model,
        "model_class": type(model).__name__,
        "tokenizer": tok_path,
        "tokenizer_check": tok_check,
        "evalset": args.evalset,
        "evalset_manifest_sha256": ev.manifest_sha256,
        "device": str(device),
        "dtype": str(dtype).replace("torch.", ""),
        "attn_implementation": getattr(model.config, "_attn_implementation", args.attn_implementation),
        "max_position_embeddings": positions,
        "max_new_tokens": args.max_new_tokens,
        "batch_size": args.batch_size,
        "max_context_length": args.max_context_length,
        "decoding": "greedy (do_sample=False, num_beams=1), stops at EOS",
        "needle": spec.needle,
        "question": spec.question,
        "answer": spec.answer,
        "versions": _versions(),
        "elapsed_s": round(time.time() - t0, 3),
    }
    report.write_csv(os.path.join(args.out, "needle.csv"), results,
                     ["context_length", "depth_percent", "needle_token_position", "actual_depth_percent",
                      "prompt_tokens", "beyond_max_positions", "skipped", "output_tokens", "recalled",
                      "rouge1_recall", "output"])
    report.write_csv(os.path.join(args.out, "needle_grid.csv"), grid,
                     ["context_length", "depth_percent", "prompts", "scored", "beyond_max_positions",
                      "recalled", "rouge1_recall"])
    scored = [g for g in grid if g["scored"]]
    summary = {m: (sum(g[m] for g in scored) / len(scored) if scored else None) for m in ("recalled", "rouge1_recall")}
    report.write_json(os.path.join(args.out, "needle.json"), {
        "config": config,
        "context_lengths": list(spec.context_lengths),
        "depths_percent": list(spec.depths_percent),
        "mean": summary,
        "grid": {m: [[g[m] for g in grid if g["depth_percent"] == d] for d in spec.depths_percent]
                 for m in ("recalled", "rouge1_recall")},
        "points": grid,
        "prompts": results,
    })
    name = os.path.basename(args.model.rstrip("/"))
    pngs = {}
    for metric in ("rouge1_recall", "recalled"):
        png = os.path.join(args.out, f"needle_{metric}.png")
        report.heatmap_png(spec, grid, metric, png, f"Needle in a haystack: {name} ({metric.replace('_', ' ')})",
                           positions)
        pngs[metric] = png
    with open(os.path.join(args.out, "needle.html"), "w", encoding="utf-8") as f:
        f.write(report.needle_html(spec, grid, pngs, f"Needle in a haystack: {name}", config, positions))
    print(f"needle: {len(scored)}/{len(grid)} grid points scored; mean recalled {summary['recalled']},"
          f" mean rouge1 recall {summary['rouge1_recall']}")
    print(f"wrote {args.out}/ in {time.time() - t0:.1f} s", file=sys.stderr)
    return 0


def cmd_diff(args) -> int:
    from . import report

    losses, config = report.read_baseline(args.run)
    rows = [{"domain": d, "length_class": c, "loss": v} for (d, c), v in losses.items()]
    os.makedirs(args.out, exist_ok=True)
    diffs = _write_diff(args.out, rows, args.baseline, args.significance, config)
    counts = {s: sum(1 for r in diffs if r["shade"] == s and r["domain"] != report.MEAN_OF_DOMAINS)
              for s in ("better", "worse", "neutral", "missing")}
    print(f"diff: {counts}; wrote {args.out}/diff.html")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    try:
        return {"loss": cmd_loss, "needle": cmd_needle, "diff": cmd_diff}[args.command](args)
    except ScorerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
