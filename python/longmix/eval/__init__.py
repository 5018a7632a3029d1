"""Scores a causal LM on a longmix evalset: validation loss per domain × length class (Fu et al.
2024, Table 5) and the needle-in-a-haystack grid (its Fig. 1). ``python -m longmix.eval --help``;
the evalset's contract and every definition: docs/evaluation.md.

Needs the ``eval`` extra (transformers, matplotlib) beside the loader's dependencies.
"""

from .evalset import Evalset, EvalsetError, ScorerError
from .needle import recalled, rouge1_recall

__all__ = ["Evalset", "EvalsetError", "ScorerError", "recalled", "rouge1_recall"]
