"""What the scorer writes: CSV and JSON, Table 5 in Markdown and HTML, the baseline difference page
with the paper's ±0.01 shading, and Fig. 1's needle heatmap as PNG and HTML.

Shading of a difference Δ = model − baseline (lower loss is better), as in the paper's Table 5:
|Δ| ≤ 0.01 is not significant (grey); Δ > 0.01 is worse (red); Δ < −0.01 is better (green).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import math
import os

from .evalset import ScorerError, class_order

SIGNIFICANCE = 0.01
# A difference that prints as 0.010 is not significant: float subtraction leaves 0.0100000001.
_EPS = 1e-9
SHADES = {
    "better": ("#b7e1b0", "better: loss lower by more than the threshold (green)"),
    "worse": ("#f4b6b6", "worse: loss higher by more than the threshold (red)"),
    "neutral": ("#e0e0e0", "not significant: |Δ| within the threshold (grey)"),
    "missing": ("#ffffff", "missing in one of the two runs"),
}
# The authors' heatmap colours (eval/needle/visualize.py): red at 0, amber, green at 1.
NEEDLE_COLOURS = ["#F0496E", "#EBB839", "#0CD79F"]
ALL_TOKENS = "all tokens"
MEAN_OF_DOMAINS = "mean of domains"


# -- plain files --------------------------------------------------------------------------------


def _clean(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def write_json(path: str, obj):
    """JSON with NaN and infinities as null (strict JSON readers reject NaN)."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(_clean(obj), f, indent=2, sort_keys=False)
        f.write("\n")


def write_csv(path: str, rows: list, columns: list):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})


def _page(title: str, body: str) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #999;padding:4px 8px;text-align:right}th{background:#f4f4f4}"
        "td.name,th.name{text-align:left}tr.summary td{font-style:italic}"
        "td.beyond{outline:2px dashed #555;outline-offset:-3px}"
        ".legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #999}"
        "pre{background:#f8f8f8;padding:8px}"
    )
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def _fmt(x, digits=4, signed=False):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


# -- Table 5 ------------------------------------------------------------------------------------


def loss_table(rows: list):
    """(domains, classes, {(domain, class): loss}) with the two summary rows added.

    ``all tokens`` is the token-weighted loss of every document of the class; ``mean of domains``
    the plain mean of the domains' losses (each domain weighs the same, as an average over a table's
    rows does).
    """
    domains = list(dict.fromkeys(r["domain"] for r in rows))
    classes = class_order(r["length_class"] for r in rows)
    table = {(r["domain"], r["length_class"]): r["loss"] for r in rows}
    for c in classes:
        cell = [r for r in rows if r["length_class"] == c and r["predicted_tokens"] and math.isfinite(r["loss"])]
        p = sum(r["predicted_tokens"] for r in cell)
        table[(ALL_TOKENS, c)] = sum(r["loss"] * r["predicted_tokens"] for r in cell) / p if p else math.nan
        table[(MEAN_OF_DOMAINS, c)] = sum(r["loss"] for r in cell) / len(cell) if cell else math.nan
    return domains, classes, table


def table5_markdown(rows: list, title: str) -> str:
    domains, classes, table = loss_table(rows)
    out = [f"# {title}", "", "Validation loss (token-weighted mean next-token NLL, nats) per domain and length class.", ""]
    out.append("| domain | " + " | ".join(classes) + " |")
    out.append("|---|" + "---:|" * len(classes))
    for d in domains + [MEAN_OF_DOMAINS, ALL_TOKENS]:
        out.append(f"| {d} | " + " | ".join(_fmt(table.get((d, c))) for c in classes) + " |")
    return "\n".join(out) + "\n"


def _config_block(config: dict) -> str:
    return "<details><summary>configuration</summary><pre>" + html.escape(json.dumps(_clean(config), indent=2)) + "</pre></details>"


def table5_html(rows: list, title: str, config: dict) -> str:
    domains, classes, table = loss_table(rows)
    by_cell = {(r["domain"], r["length_class"]): r for r in rows}
    head = "<tr><th class=\"name\">domain</th>" + "".join(f"<th>{html.escape(c)}</th>" for c in classes) + "</tr>"
    body = []
    for d in domains + [MEAN_OF_DOMAINS, ALL_TOKENS]:
        cls = " class=\"summary\"" if d in (MEAN_OF_DOMAINS, ALL_TOKENS) else ""
        tds = []
        for c in classes:
            r = by_cell.get((d, c))
            tip = (
                f" title=\"{r['documents']} documents, {r['predicted_tokens']:,} predicted tokens,"
                f" {r['truncated_documents']} truncated\"" if r else ""
            )
            tds.append(f"<td{tip}>{_fmt(table.get((d, c)))}</td>")
        body.append(f"<tr{cls}><td class=\"name\">{html.escape(d)}</td>{''.join(tds)}</tr>")
    text = (
        "<p>Validation loss: token-weighted mean next-token negative log-likelihood in nats, per domain"
        " and length class (the shape of Fu et al. 2024, Table 5). Hover a cell for its counts.</p>"
        f"<table>{head}{''.join(body)}</table>{_config_block(config)}"
    )
    return _page(title, text)


# -- differences with a baseline -----------------------------------------------------------------


def read_baseline(path: str) -> tuple:
    """({(domain, class): loss}, the baseline's config or {}) from a run's directory or its loss.csv."""
    csv_path = os.path.join(path, "loss.csv") if os.path.isdir(path) else path
    if not os.path.isfile(csv_path):
        raise ScorerError(f"--baseline {path}: no {csv_path}; pass a directory written by `loss` or its loss.csv")
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        need = {"domain", "length_class", "loss"}
        if not need <= set(reader.fieldnames or []):
            raise ScorerError(f"--baseline {csv_path}: needs columns {sorted(need)}, has {reader.fieldnames}")
        losses = {(r["domain"], r["length_class"]): (float(r["loss"]) if r["loss"] else math.nan) for r in reader}
    config = {}
    j = os.path.join(os.path.dirname(csv_path), "loss.json")
    if os.path.isfile(j):
        with open(j, encoding="utf-8") as f:
            config = json.load(f).get("config", {})
    return losses, config


def shade(delta, threshold: float = SIGNIFICANCE) -> str:
    """``better``, ``worse`` or ``neutral`` for Δ = model − baseline; ``missing`` for no Δ."""
    if delta is None or not math.isfinite(delta):
        return "missing"
    if abs(delta) <= threshold + _EPS:
        return "neutral"
    return "worse" if delta > 0 else "better"


def diff_rows(rows: list, baseline: dict, threshold: float = SIGNIFICANCE) -> list:
    """Per cell of either run, and the mean-of-domains row per class: both losses, Δ and its shade."""
    mine = {(r["domain"], r["length_class"]): r["loss"] for r in rows}
    keys = list(mine) + [k for k in baseline if k not in mine]
    out = []
    for k in keys:
        a, b = mine.get(k), baseline.get(k)
        delta = (a - b) if a is not None and b is not None and math.isfinite(a) and math.isfinite(b) else None
        out.append({"domain": k[0], "length_class": k[1], "loss": a, "baseline_loss": b, "delta": delta,
                    "shade": shade(delta, threshold)})
    for c in class_order(k[1] for k in keys):
        ds = [r["delta"] for r in out if r["length_class"] == c and r["delta"] is not None]
        delta = sum(ds) / len(ds) if ds else None
        out.append({"domain": MEAN_OF_DOMAINS, "length_class": c, "loss": None, "baseline_loss": None,
                    "delta": delta, "shade": shade(delta, threshold)})
    return out


def diff_markdown(diffs: list, title: str, threshold: float) -> str:
    domains = list(dict.fromkeys(r["domain"] for r in diffs))
    classes = class_order(r["length_class"] for r in diffs)
    cell = {(r["domain"], r["length_class"]): r for r in diffs}
    mark = {"better": " (better)", "worse": " (worse)", "neutral": "", "missing": ""}
    out = [f"# {title}", "", f"Δ = model − baseline loss; |Δ| ≤ {threshold} is not significant.", ""]
    out.append("| domain | " + " | ".join(classes) + " |")
    out.append("|---|" + "---:|" * len(classes))
    for d in domains:
        vals = []
        for c in classes:
            r = cell.get((d, c))
            vals.append(_fmt(r["delta"], 3, True) + mark[r["shade"]] if r else "–")
        out.append(f"| {d} | " + " | ".join(vals) + " |")
    return "\n".join(out) + "\n"


def diff_html(diffs: list, title: str, threshold: float, config: dict, warnings=()) -> str:
    domains = list(dict.fromkeys(r["domain"] for r in diffs))
    classes = class_order(r["length_class"] for r in diffs)
    cell = {(r["domain"], r["length_class"]): r for r in diffs}
    head = "<tr><th class=\"name\">domain</th>" + "".join(f"<th>{html.escape(c)}</th>" for c in classes) + "</tr>"
    body = []
    for d in domains:
        tds = []
        for c in classes:
            r = cell.get((d, c)) or {"shade": "missing", "delta": None, "loss": None, "baseline_loss": None}
            colour = SHADES[r["shade"]][0]
            tip = f"model {_fmt(r['loss'])}, baseline {_fmt(r['baseline_loss'])}"
            tds.append(
                f"<td class=\"{r['shade']}\" style=\"background:{colour}\" title=\"{tip}\">"
                f"{_fmt(r['delta'], 3, True)}</td>"
            )
        cls = " class=\"summary\"" if d == MEAN_OF_DOMAINS else ""
        body.append(f"<tr{cls}><td class=\"name\">{html.escape(d)}</td>{''.join(tds)}</tr>")
    legend = "".join(
        f"<span style=\"background:{c}\">{html.escape(text.replace('the threshold', str(threshold)))}</span>"
        for c, text in SHADES.values()
    )
    warn = "".join(f"<p><strong>Warning:</strong> {html.escape(w)}</p>" for w in warnings)
    text = (
        f"<p>Δ = model − baseline validation loss (nats), per domain and length class, as in Fu et al."
        f" 2024, Table 5. A difference of at most {threshold} either way is treated as not significant.</p>"
        f"{warn}<p class=\"legend\">{legend}</p><table>{head}{''.join(body)}</table>{_config_block(config)}"
    )
    return _page(title, text)


# -- the needle heatmap --------------------------------------------------------------------------


def _colormap():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("needle", NEEDLE_COLOURS).with_extremes(bad="#d0d0d0")


def _matrix(spec, grid: list, metric: str):
    """[depth][length] of the metric (None where not scored), and the per-point records."""
    at = {(g["context_length"], round(g["depth_percent"], 6)): g for g in grid}
    return [[at[(L, round(d, 6))][metric] for L in spec.context_lengths] for d in spec.depths_percent], at


def _depth_label(d: float) -> str:
    return f"{d:g}" if abs(d - round(d)) < 1e-9 else f"{d:.1f}"


def heatmap_png(spec, grid: list, metric: str, path: str, title: str, max_positions=None):
    """Fig. 1's heatmap: x = context length, y = depth % (0 at the top), colour = score in [0, 1]."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values, _ = _matrix(spec, grid, metric)
    data = np.ma.masked_invalid(np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float))
    nx, ny = len(spec.context_lengths), len(spec.depths_percent)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.42 * nx + 2.5), max(3.0, 0.42 * ny + 1.8)))
    mesh = ax.pcolormesh(data, cmap=_colormap(), vmin=0, vmax=1, edgecolors="grey", linewidth=0.5)
    ax.invert_yaxis()
    ax.set_xticks([i + 0.5 for i in range(nx)], [str(x) for x in spec.context_lengths], rotation=45, ha="right")
    ax.set_yticks([i + 0.5 for i in range(ny)], [_depth_label(d) for d in spec.depths_percent])
    ax.set_xlabel("context length (tokens)")
    ax.set_ylabel("needle depth (%)")
    ax.set_title(title)
    fig.colorbar(mesh, ax=ax, label=metric.replace("_", " "))
    if nx * ny <= 150:
        for y, row in enumerate(values):
            for x, v in enumerate(row):
                ax.text(x + 0.5, y + 0.5, "–" if v is None else f"{v:.2f}", ha="center", va="center", fontsize=7)
    if max_positions:
        inside = sum(1 for L in spec.context_lengths if L <= max_positions)
        if 0 < inside < nx:  # the authors draw their training length the same way
            ax.axvline(inside, color="white", linestyle="--", linewidth=3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def needle_html(spec, grid: list, pngs: dict, title: str, config: dict, max_positions=None) -> str:
    from matplotlib.colors import to_hex

    cmap = _colormap()
    parts = [
        "<p>Needle in a haystack (Fu et al. 2024, Fig. 1): x = context length in tokens, y = the needle's"
        " depth in the context, colour = score from 0 (red) to 1 (green); grey = not scored. <em>recalled</em>"
        " is 1 when the normalised answer occurs in the normalised output; <em>rouge1 recall</em> is the share"
        " of the answer's words found in the output (docs/evaluation.md defines both). A dashed cell border marks"
        f" a prompt plus generation longer than the model's max positions ({max_positions}).</p>"
    ]
    for metric, png in pngs.items():
        values, at = _matrix(spec, grid, metric)
        scored = [v for row in values for v in row if v is not None]
        mean = sum(scored) / len(scored) if scored else None
        head = "<tr><th class=\"name\">depth % \\ length</th>" + "".join(f"<th>{L}</th>" for L in spec.context_lengths) + "</tr>"
        rows = []
        for d, row in zip(spec.depths_percent, values):
            tds = []
            for L, v in zip(spec.context_lengths, row):
                g = at[(L, round(d, 6))]
                colour = "#d0d0d0" if v is None else to_hex(cmap(v))
                beyond = " beyond" if g["beyond_max_positions"] else ""
                tds.append(f"<td class=\"score{beyond}\" style=\"background:{colour}\">{'–' if v is None else f'{v:.2f}'}</td>")
            rows.append(f"<tr><td class=\"name\">{_depth_label(d)}</td>{''.join(tds)}</tr>")
        with open(png, "rb") as f:
            img = base64.b64encode(f.read()).decode("ascii")
        parts.append(
            f"<h2>{html.escape(metric.replace('_', ' '))}: mean {_fmt(mean, 3)} over {len(scored)} points</h2>"
            f"<table class=\"grid\" data-metric=\"{metric}\">{head}{''.join(rows)}</table>"
            f"<img alt=\"{metric} heatmap\" src=\"data:image/png;base64,{img}\">"
        )
    parts.append(_config_block(config))
    return _page(title, "\n".join(parts))
