"""Validation loss per (domain, length class): Table 5 of Fu et al. (2024).

The loss of a cell is the token-weighted mean next-token negative log-likelihood, in nats, over
every predicted token of its documents: a document of ``n`` scored tokens predicts ``n - 1`` of them
(token ``i + 1`` from tokens ``0..i``; its first token, the BOS where there is one, is context only).
A cell's loss is ``sum of NLL / sum of predicted tokens``, so long documents weigh by their tokens,
as a language model's validation loss does.

Documents longer than ``max_tokens`` (by default the model's ``max_position_embeddings``) are
truncated to their first ``max_tokens`` tokens; how many were, and the tokens not scored, are counted
per cell. Documents are batched by length, longest first, so that a batch's padded size (rows ×
longest) stays within ``batch_tokens``; one longer than that runs alone. A batch is right-padded and
run without an attention mask: under causal attention no real token attends to the padding after it,
so each document's loss is the one it has alone (the test checks it). Logits are computed in slices of
``logits_chunk`` positions, in float32, from the decoder's last hidden state, so a 128K document never
holds a 128K × vocabulary logits tensor; that path is checked once against the model's own forward and
replaced by it where they differ (a model with logit soft-capping or scaling, say).
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

PAD_ID = 0


def plan_batches(lengths, batch_tokens: int) -> list:
    """Indices grouped into batches, longest first: each batch's rows × its longest ≤ batch_tokens.

    Documents with fewer than two tokens predict nothing and are left out. A document longer than
    ``batch_tokens`` forms a batch alone. Ties keep index order, so the plan is deterministic.
    """
    if batch_tokens < 1:
        raise ValueError(f"batch_tokens must be positive, got {batch_tokens}")
    order = sorted((i for i, n in enumerate(lengths) if n >= 2), key=lambda i: (-lengths[i], i))
    batches, cur, width = [], [], 0
    for i in order:
        if cur and (len(cur) + 1) * width > batch_tokens:
            batches.append(cur)
            cur = []
        if not cur:
            width = lengths[i]
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


class TokenScorer:
    """Per-document sums of next-token NLL for right-padded batches of one causal LM."""

    def __init__(self, model, device, logits_chunk: int = 16384):
        self.model = model
        self.device = device
        self.logits_chunk = max(1, int(logits_chunk))
        self.sliced = None  # decided on the first batch: decoder + head in slices, or plain forward
        self.sliced_reason = ""

    def _hidden_and_head(self):
        try:
            decoder = self.model.get_decoder()
            head = self.model.get_output_embeddings()
        except (AttributeError, NotImplementedError):
            return None, None
        if decoder is None or head is None or decoder is self.model:
            return None, None
        return decoder, head

    def _decide(self, input_ids):
        decoder, head = self._hidden_and_head()
        if decoder is None:
            self.sliced, self.sliced_reason = False, "the model exposes no decoder/output head"
            return
        probe = input_ids[:1, : min(32, input_ids.shape[1])]
        full = self.model(input_ids=probe, use_cache=False).logits.float()
        mine = head(decoder(input_ids=probe, use_cache=False)[0]).float()
        tol = 1e-3 * (1.0 + full.abs().max().item())
        diff = (full - mine).abs().max().item()
        if diff <= tol:
            self.sliced, self.sliced_reason = True, f"decoder + head in slices (checked: |diff| {diff:.2e})"
        else:
            self.sliced = False
            self.sliced_reason = (
                f"plain forward: decoder + head differs from the model's logits by {diff:.2e}"
                " (soft-capping or scaling in its forward)"
            )

    @torch.no_grad()
    def nll(self, docs: list) -> list:
        """``[(nll_sum, predicted_tokens)]`` for a batch of 1-D id arrays (each at least 2 long)."""
        width = max(len(d) for d in docs)
        batch = np.full((len(docs), width), PAD_ID, dtype=np.int64)
        for r, d in enumerate(docs):
            batch[r, : len(d)] = d
        input_ids = torch.from_numpy(batch).to(self.device)
        lengths = torch.tensor([len(d) for d in docs], device=self.device)
        if self.sliced is None:
            self._decide(input_ids)
        targets = input_ids[:, 1:]
        valid = torch.arange(width - 1, device=self.device)[None, :] < (lengths - 1)[:, None]
        nll = torch.zeros(targets.shape, dtype=torch.float32, device=self.device)
        if self.sliced:
            decoder, head = self._hidden_and_head()
            hidden = decoder(input_ids=input_ids, use_cache=False)[0]
            step = max(1, self.logits_chunk // len(docs))
            for s in range(0, width - 1, step):
                e = min(width - 1, s + step)
                logits = head(hidden[:, s:e]).float()
                nll[:, s:e] = F.cross_entropy(logits.transpose(1, 2), targets[:, s:e], reduction="none")
            del hidden
        else:
            logits = self.model(input_ids=input_ids, use_cache=False).logits[:, :-1].float()
            nll = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
            del logits
        sums = (nll.double() * valid).sum(dim=1).tolist()
        return [(s, int(n) - 1) for s, n in zip(sums, lengths.tolist())]


def score_documents(scorer: TokenScorer, documents, max_tokens: int, batch_tokens: int, log=sys.stderr):
    """Per document: NLL sum, predicted tokens, whether it was truncated (arrays indexed like documents)."""
    n = len(documents)
    scored = [min(int(documents.n_tokens[i]), max_tokens) for i in range(n)]
    truncated = np.array([int(documents.n_tokens[i]) > max_tokens for i in range(n)])
    nll_sum = np.zeros(n, dtype=np.float64)
    predicted = np.zeros(n, dtype=np.int64)
    batches = plan_batches(scored, batch_tokens)
    total = sum(scored[i] for b in batches for i in b)
    done, t0, last = 0, time.time(), time.time()
    for k, batch in enumerate(batches):
        out = scorer.nll([documents.ids(i)[: scored[i]] for i in batch])
        for i, (s, p) in zip(batch, out):
            nll_sum[i], predicted[i] = s, p
        done += sum(scored[i] for i in batch)
        if log is not None and (time.time() - last > 30 or k == len(batches) - 1):
            last = time.time()
            rate = done / max(1e-9, last - t0)
            print(
                f"loss: batch {k + 1}/{len(batches)}, {done:,}/{total:,} tokens, {rate:,.0f} tokens/s",
                file=log,
                flush=True,
            )
    return nll_sum, predicted, truncated


def cell_losses(documents, nll_sum, predicted, truncated, max_tokens: int) -> list:
    """One record per manifest cell, in manifest order: counts and the token-weighted mean loss."""
    index = {(c.domain, c.length_class): k for k, c in enumerate(documents.cells)}
    acc = [[0.0, 0, 0, 0] for _ in documents.cells]  # nll, predicted, truncated docs, unscored tokens
    for i in range(len(documents)):
        a = acc[index[(documents.domain[i], documents.length_class[i])]]
        a[0] += nll_sum[i]
        a[1] += int(predicted[i])
        a[2] += bool(truncated[i])
        a[3] += max(0, int(documents.n_tokens[i]) - max_tokens)
    rows = []
    for c, (s, p, t, u) in zip(documents.cells, acc):
        rows.append(
            {
                "domain": c.domain,
                "length_class": c.length_class,
                "documents": c.documents,
                "tokens": c.tokens,
                "cut_documents": c.cut_documents,
                "predicted_tokens": p,
                "truncated_documents": t,
                "unscored_tokens": u,
                "loss": (s / p) if p else math.nan,
            }
        )
    return rows
