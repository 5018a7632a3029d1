#!/usr/bin/env python3
"""longmix benchmark: the pipeline beside the reference peers, in one run, on one machine.

Runs, in this order and one at a time: ../shared/bench/peers/raw_tokenizer.py (the Rust tokenizer
alone, one core), hf_datasets_pipeline.py --num-proc 2 (what a practitioner writes instead), then
longmix's stages in local[2]: tokenize, histogram, pack (per-source). Every figure is reported as
tokens/s per core, wall time and peak RSS, and as same-run ratios. Writes BENCHMARKS.md's
"Latest run" section (between markers) unless --no-write.

usage: ./longmix bench [--corpus DIR] [--tokenizer FILE] [--out DIR] [--cores 2] [--no-write]
"""
import argparse, datetime, json, os, platform, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "..", "shared", "bench", "peers")


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (stdout, wall seconds, peak RSS in MB)."""
    fd, tfile = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    full = ["/usr/bin/time", "-f", "%e %M", "-o", tfile] + cmd
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    p = subprocess.run(full, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    sys.stderr.write(p.stdout[-3000:])
    if p.returncode != 0:
        raise SystemExit(f"benchmark step failed ({p.returncode}): {' '.join(cmd)}")
    wall, rss_kb = open(tfile).read().split()[-2:]
    os.unlink(tfile)
    return p.stdout, float(wall), int(rss_kb) / 1024


def manifest(path):
    with open(os.path.join(path, "_manifest.json")) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--tokenizer", default=os.path.join(ROOT, "..", "shared", "tokenizers", "llama2", "tokenizer.json"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".longmix", "bench"))
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--budget-fraction", type=float, default=0.5)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    for p in (a.corpus, a.tokenizer):
        if not os.path.exists(p):
            raise SystemExit(f"bench: {p} does not exist (the benchmark needs ../shared beside the checkout)")
    py = os.path.join(ROOT, ".venv", "bin", "python")
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    rows, cmds = [], []

    out, wall, rss = timed([py, os.path.join(PEERS, "raw_tokenizer.py"), a.corpus, a.tokenizer])
    raw = json.loads(out.strip().splitlines()[-1])
    cmds.append(f"python ../shared/bench/peers/raw_tokenizer.py {a.corpus} {a.tokenizer}")
    rows.append(("peer: raw tokenizer (1 core, text in memory)", raw["tokens"], raw["wall_s"], 1, raw["tokens_per_s"], rss))

    hf_out = os.path.join(a.out, "hf")
    out, wall, rss = timed([py, os.path.join(PEERS, "hf_datasets_pipeline.py"), a.corpus, a.tokenizer, hf_out, "--num-proc", str(a.cores)])
    hf = json.loads(out.strip().splitlines()[-1])
    cmds.append(f"python ../shared/bench/peers/hf_datasets_pipeline.py {a.corpus} {a.tokenizer} OUT --num-proc {a.cores}")
    rows.append((f"peer: HF datasets map+group_texts (num_proc={a.cores})", hf["tokens"], wall, a.cores, hf["tokens"] / wall / a.cores, rss))

    master = f"local[{a.cores}]"
    lm = [os.path.join(ROOT, "longmix")]
    tok_dir, hist_dir, pack_dir = (os.path.join(a.out, d) for d in ("tokenized", "histogram", "packed"))
    stages = {}
    _, wall, rss = timed(lm + ["tokenize", "--input", a.corpus, "--output", tok_dir, "--tokenizer", a.tokenizer, "--master", master, "--progress-interval", "0"])
    m = manifest(tok_dir)
    tokens = m["counts"]["tokens"]
    stages["tokenize"] = (wall, m["timing"]["seconds"])
    cmds.append(f"./longmix tokenize --input {a.corpus} --output OUT/tokenized --tokenizer {a.tokenizer} --master '{master}'")
    rows.append(("longmix tokenize (JVM start included)", tokens, wall, a.cores, tokens / wall / a.cores, rss))
    rows.append(("longmix tokenize (in-job time, manifest)", tokens, m["timing"]["seconds"], a.cores, tokens / m["timing"]["seconds"] / a.cores, None))

    has_pack = subprocess.run(lm + ["pack", "--help"], cwd=ROOT, capture_output=True).returncode == 0
    if has_pack:
        _, wall, rss = timed(lm + ["histogram", "--input", tok_dir, "--output", hist_dir, "--master", master, "--progress-interval", "0"])
        stages["histogram"] = (wall, None)
        cmds.append(f"./longmix histogram --input OUT/tokenized --output OUT/histogram --master '{master}'")
        rows.append(("longmix histogram", tokens, wall, a.cores, tokens / wall / a.cores, rss))
        budget = int(tokens * a.budget_fraction)
        _, wall, rss = timed(lm + ["pack", "--input", tok_dir, "--histogram", hist_dir, "--output", pack_dir, "--strategy", "per-source",
                                   "--budget-tokens", str(budget), "--seq-len", "81920", "--seed", "1", "--max-copies", "4",
                                   "--infeasible", "repeat", "--master", master, "--progress-interval", "0"])
        stages["pack"] = (wall, None)
        cmds.append(f"./longmix pack --input OUT/tokenized --histogram OUT/histogram --output OUT/packed --strategy per-source --budget-tokens {budget} --seq-len 81920 --seed 1 --max-copies 4 --infeasible repeat --master '{master}'")
        rows.append((f"longmix sample+pack per-source ({budget:,} tokens out)", budget, wall, a.cores, budget / wall / a.cores, rss))

    total = sum(w for w, _ in stages.values())
    ratios = [
        ("tokenize stage tokens/s/core ÷ raw tokenizer tokens/s (target ≥ 1.1)", tokens / stages["tokenize"][0] / a.cores / raw["tokens_per_s"]),
        ("same, in-job time (excludes JVM/Spark start)", tokens / stages["tokenize"][1] / a.cores / raw["tokens_per_s"]),
    ]
    if has_pack:
        ratios.append((f"HF peer wall ÷ longmix pipeline wall (tokenize+histogram+pack; target ≥ 1.3)", hf["total_s"] / total))
        ratios.append(("pack tokens/s ÷ tokenize tokens/s (target ≥ 10)", (budget / stages["pack"][0]) / (tokens / stages["tokenize"][0])))

    lines = [f"Run {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.node() or 'this machine'}: "
             f"{os.cpu_count()} cores, {platform.platform()}, corpus {os.path.relpath(a.corpus, ROOT)}, "
             f"tokenizer {os.path.relpath(a.tokenizer, ROOT)}, {tokens:,} tokens.", "",
             "| step | tokens | wall s | cores | tokens/s/core | peak RSS MB |", "|---|---:|---:|---:|---:|---:|"]
    for name, t, w, c, r, mem in rows:
        lines.append(f"| {name} | {t:,} | {w:.1f} | {c} | {r:,.0f} | {'' if mem is None else f'{mem:,.0f}'} |")
    lines += ["", "| same-run ratio | value |", "|---|---:|"]
    lines += [f"| {n} | {v:.2f} |" for n, v in ratios]
    lines += ["", "Commands (OUT = " + os.path.relpath(a.out, ROOT) + "):", "", "```"] + cmds + ["```"]
    text = "\n".join(lines)
    print(text)
    if not a.no_write:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        doc = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
        doc = re.sub(r"<!-- bench:begin -->.*<!-- bench:end -->", "<!-- bench:begin -->\n" + text + "\n<!-- bench:end -->", doc, flags=re.S)
        open(path, "w").write(doc)
        print(f"\nwrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
