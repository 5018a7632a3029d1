#!/usr/bin/env python3
"""longmix benchmark: the pipeline beside the reference peers, in one run, on one machine.

Runs one at a time, in this order:
  1. ../shared/bench/peers/raw_tokenizer.py           the Rust tokenizer alone, one core, text in memory
  2. ../shared/bench/peers/hf_datasets_pipeline.py     HF datasets map -> group_texts -> Parquet, num_proc=CORES
  0. ./longmix run on one corpus file (not timed)     warm-up: records the launcher's class-data
                                                       archive if this build has none, as a user's
                                                       first run would
  3. ./longmix run (per-source, r = 0.1)               the whole pipeline end to end in one JVM, with the
                                                       class-data archive and without (LONGMIX_CDS=0)
  4. ./longmix tokenize / histogram / pack             each stage alone, for its own wall time and peak RSS
                                                       (tokenize and pack with the event log: their
                                                       tasks' CPU time); then pack at 10% of the corpus
                                                       under --packing concat and best-fit, same plan
  5. ./longmix tokenize on the corpus x4               copies under new document ids: linearity, memory;
     then histogram + pack on it with the same plan      the marginal (at-scale) rates of each stage,
     and pack on it to the x1 run's output size          (a growing corpus, a fixed output: 627B -> 5B),
                                                       in wall seconds and in the tasks' CPU seconds
  6. ./longmix tokenize on one 20M-character document  the books joined into one JSON line
Every figure is reported as tokens/s per core, wall time and peak RSS, and as same-run ratios against
the peers. "in-job" times come from the stages' manifests (Spark session start and JVM start excluded);
"wall" times include them. Writes BENCHMARKS.md's "Latest run" section (between markers) unless
--no-write.

usage: ./longmix bench [--corpus DIR] [--tokenizer FILE] [--out DIR] [--cores 2] [--scale 4] [--no-write]
"""
import argparse, datetime, io, json, os, platform, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "..", "shared", "bench", "peers")


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time (env: extra variables); returns (stdout, wall seconds, peak RSS in MB)."""
    fd, tfile = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tfile] + cmd, cwd=ROOT,
                       stdout=subprocess.PIPE, text=True, env=dict(os.environ, **(env or {})))
    sys.stderr.write(p.stdout[-2500:])
    if p.returncode != 0:
        raise SystemExit(f"benchmark step failed ({p.returncode}): {' '.join(cmd)}")
    wall, rss_kb = open(tfile).read().split()[-2:]
    os.unlink(tfile)
    return p.stdout, float(wall), int(rss_kb) / 1024


def manifest(path):
    with open(os.path.join(path, "_manifest.json")) as f:
        return json.load(f)


def task_cpu_seconds(event_dir):
    """Sum of the tasks' executor CPU time over every Spark event log under event_dir."""
    total = 0.0
    for root, _, files in os.walk(event_dir):
        for f in files:
            with open(os.path.join(root, f)) as fh:
                for line in fh:
                    if '"SparkListenerTaskEnd"' in line:
                        e = json.loads(line)
                        total += e.get("Task Metrics", {}).get("Executor CPU Time", 0) / 1e9
    if total <= 0:
        raise SystemExit(f"bench: no task CPU times in the event log under {event_dir}")
    return total


def memo_note(m):
    """'; 90.7% of words from the word memo' when the tokenizer memoizes words."""
    memo = m.get("word_memo")
    return f"; {100 * memo['memoized_fraction']:.1f}% of words from the word memo" if memo else ""


def books(corpus, min_chars):
    import zstandard
    texts = []
    for root, _, files in sorted(os.walk(corpus)):
        for f in sorted(files):
            if f.endswith(".jsonl.zst"):
                with open(os.path.join(root, f), "rb") as fh:
                    for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(fh), encoding="utf-8"):
                        d = json.loads(line)
                        if d["meta"]["redpajama_set_name"] == "RedPajamaBook":
                            texts.append(d["text"])
    book = "\n\n".join(texts)
    while len(book) < min_chars:
        book = book + "\n\n" + book
    return book[:min_chars]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--tokenizer", default=os.path.join(ROOT, "..", "shared", "tokenizers", "llama2", "tokenizer.json"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".longmix", "bench"))
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--budget-fraction", type=float, default=0.5)
    ap.add_argument("--scale", type=int, default=4, help="also tokenize the corpus this many times over (1: skip)")
    ap.add_argument("--no-long-doc", dest="long_doc", action="store_false", help="skip the 20M-character document")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    for p in (a.corpus, a.tokenizer):
        if not os.path.exists(p):
            raise SystemExit(f"bench: {p} does not exist (the benchmark needs ../shared beside the checkout)")
    py = os.path.join(ROOT, ".venv", "bin", "python")
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    c = a.cores
    master = f"local[{c}]"
    lm = [os.path.join(ROOT, "longmix")]
    quiet = ["--master", master, "--progress-interval", "0"]
    plan_args = ["--strategy", "per-source", "--keep-rate", "0.1", "--budget-fraction", str(a.budget_fraction),
                 "--seq-len", "81920", "--seed", "1", "--max-copies", "4", "--infeasible", "fill-short"]
    rows, cmds, ratios = [], [], []

    def row(name, tokens, wall, cores, rss, per_core_tokens=None):
        rows.append((name, tokens, wall, cores, (per_core_tokens if per_core_tokens is not None else tokens / wall / cores), rss))

    # 0. warm-up, not timed: the launcher records its class-data archive on the first `run` after a
    # build; the timed runs below then start the way every later run does.
    warm = os.path.join(a.out, "warm-up")
    first = sorted(os.path.join(r, f) for r, _, fs in os.walk(a.corpus) for f in fs if f.endswith(".jsonl.zst"))[0]
    os.makedirs(os.path.join(warm, "corpus"))
    shutil.copy(first, os.path.join(warm, "corpus"))
    timed(lm + ["run", "--input", os.path.join(warm, "corpus"), "--tokenizer", a.tokenizer,
                "--output", os.path.join(warm, "run")] + plan_args + quiet)
    cmds.append(f"./longmix run --input OUT/warm-up/corpus --tokenizer {a.tokenizer} --output OUT/warm-up/run ...   # one file, not timed: records the class-data archive")

    # 1. raw tokenizer
    out, _, rss = timed([py, os.path.join(PEERS, "raw_tokenizer.py"), a.corpus, a.tokenizer])
    raw = json.loads(out.strip().splitlines()[-1])
    cmds.append(f"python ../shared/bench/peers/raw_tokenizer.py {a.corpus} {a.tokenizer}")
    row("peer: raw Rust tokenizer (1 core, text already in memory)", raw["tokens"], raw["wall_s"], 1, rss)

    # 2. HF datasets pipeline
    out, hf_wall, rss = timed([py, os.path.join(PEERS, "hf_datasets_pipeline.py"), a.corpus, a.tokenizer,
                               os.path.join(a.out, "hf"), "--num-proc", str(c)])
    hf = json.loads(out.strip().splitlines()[-1])
    cmds.append(f"python ../shared/bench/peers/hf_datasets_pipeline.py {a.corpus} {a.tokenizer} OUT/hf --num-proc {c}")
    row(f"peer: HF datasets map + group_texts + Parquet (num_proc={c})", hf["tokens"], hf_wall, c, rss)

    # 3. the whole pipeline in one JVM
    run_root = os.path.join(a.out, "run")
    _, run_wall, run_rss = timed(lm + ["run", "--input", a.corpus, "--tokenizer", a.tokenizer, "--output", run_root] + plan_args + quiet)
    cmds.append(f"./longmix run --input {a.corpus} --tokenizer {a.tokenizer} --output OUT/run {' '.join(plan_args)} --master '{master}'")
    mt, mh, mp = (manifest(os.path.join(run_root, d)) for d in ("tokenized", "histogram", "packed"))
    tokens = mt["counts"]["tokens"]
    out_tokens = mp["counts"]["selected_tokens"]
    row("longmix run: tokenize + histogram + per-source sample + pack + write, end to end", tokens, run_wall, c, run_rss)
    row("  of which tokenize (in-job)", tokens, mt["timing"]["seconds"], c, None)
    row("  of which histogram (in-job)", tokens, mh["seconds"], c, None)
    row(f"  of which sample + pack (in-job; {out_tokens:,} tokens out)", tokens, mp["seconds"], c, None)
    # The same run with the JVM loading every class from the jars (what spark-submit does too).
    _, run_wall_nocds, run_rss_nocds = timed(lm + ["run", "--input", a.corpus, "--tokenizer", a.tokenizer,
                                                   "--output", os.path.join(a.out, "run-no-cds")] + plan_args + quiet,
                                             env={"LONGMIX_CDS": "0"})
    cmds.append(f"LONGMIX_CDS=0 ./longmix run ... --output OUT/run-no-cds   # the same, without the class-data archive")
    row("longmix run, end to end, without the launcher's class-data archive (LONGMIX_CDS=0)", tokens, run_wall_nocds, c, run_rss_nocds)

    # 4. stages alone
    stage_dir = os.path.join(a.out, "stages")
    # With Spark's event log: the tasks' own CPU time, i.e. the stage's cost per core once start-up,
    # JIT compiler threads and the driver's passes after the write are left out.
    def events(name):
        d = os.path.join(a.out, "eventlog", name)
        os.makedirs(d)
        return d, ["--conf", "spark.eventLog.enabled=true", "--conf", f"spark.eventLog.dir={d}",
                   "--conf", "spark.eventLog.compress=false"]

    event_dir, event_conf = events("tokenize")
    _, tok_wall, tok_rss = timed(lm + ["tokenize", "--input", a.corpus, "--output", os.path.join(stage_dir, "tokenized"), "--tokenizer", a.tokenizer] + quiet + event_conf)
    tok_task_cpu = task_cpu_seconds(event_dir)
    _, hist_wall, hist_rss = timed(lm + ["histogram", "--input", os.path.join(stage_dir, "tokenized"), "--output", os.path.join(stage_dir, "histogram")] + quiet)
    pack_events, pack_conf = events("pack")
    _, pack_wall, pack_rss = timed(lm + ["pack", "--input", os.path.join(stage_dir, "tokenized"), "--histogram", os.path.join(stage_dir, "histogram"),
                                         "--output", os.path.join(stage_dir, "packed")] + plan_args + quiet + pack_conf)
    pack_cpu = task_cpu_seconds(pack_events)
    m_tok = manifest(os.path.join(stage_dir, "tokenized"))
    tok_job = m_tok["timing"]["seconds"]
    pack_job = manifest(os.path.join(stage_dir, "packed"))["seconds"]
    cmds.append(f"./longmix tokenize --input {a.corpus} --output OUT/stages/tokenized --tokenizer {a.tokenizer} --master '{master}' --conf spark.eventLog.enabled=true ...")
    cmds.append(f"./longmix histogram --input OUT/stages/tokenized --output OUT/stages/histogram --master '{master}'")
    cmds.append(f"./longmix pack --input OUT/stages/tokenized --histogram OUT/stages/histogram --output OUT/stages/packed {' '.join(plan_args)} --master '{master}' --conf spark.eventLog.enabled=true ...")
    row("longmix tokenize alone (wall, JVM + Spark start included)", tokens, tok_wall, c, tok_rss)
    row(f"longmix tokenize alone (in-job{memo_note(m_tok)})", tokens, tok_job, c, None)
    row("longmix tokenize alone, the tasks' own CPU time (event log: no start-up, JIT threads or passes after the write)", tokens, tok_task_cpu, 1, None)
    tok_cpu_rate = tokens / tok_task_cpu
    row("longmix histogram alone (wall)", tokens, hist_wall, c, hist_rss)
    row("longmix sample + pack alone (wall; tokens = corpus read)", tokens, pack_wall, c, pack_rss)
    row("longmix sample + pack alone (in-job)", tokens, pack_job, c, None)
    row("longmix sample + pack alone, the tasks' own CPU time (event log)", tokens, pack_cpu, 1, None)

    ratios.append(("tokenize tokens/s/core (in-job) ÷ raw tokenizer tokens/s (target ≥ 1.1)", tokens / tok_job / c / raw["tokens_per_s"]))
    ratios.append(("tokenize tokens/s/core (wall) ÷ raw tokenizer tokens/s", tokens / tok_wall / c / raw["tokens_per_s"]))
    ratios.append(("tokenize tokens per second of task CPU ÷ raw tokenizer tokens/s (at scale, new text)", tok_cpu_rate / raw["tokens_per_s"]))
    ratios.append(("HF peer wall ÷ longmix run wall, end to end (target ≥ 1.3)", hf_wall / run_wall))
    ratios.append(("HF peer wall ÷ longmix run wall without the class-data archive", hf_wall / run_wall_nocds))
    ratios.append(("sample + pack corpus tokens/s ÷ tokenize tokens/s, in-job (target ≥ 10)", (tokens / pack_job) / (tokens / tok_job)))

    # 4b. concat against best-fit packing on the same plan (per-source, 10% of the corpus,
    # 81,920-token rows): best-fit's extra cost and its padding.
    packing = {}
    for mode in ("concat", "best-fit"):
        out = os.path.join(stage_dir, f"packed-{mode}-0.1")
        bf_args = [x for x in plan_args]
        i = bf_args.index("--budget-fraction")
        bf_args[i:i + 2] = ["--budget-fraction", "0.1"]
        timed(lm + ["pack", "--input", os.path.join(stage_dir, "tokenized"), "--histogram", os.path.join(stage_dir, "histogram"),
                    "--output", out, "--packing", mode] + bf_args + quiet)
        packing[mode] = manifest(out)
        cmds.append(f"./longmix pack --input OUT/stages/tokenized --histogram OUT/stages/histogram --output OUT/stages/packed-{mode}-0.1 --packing {mode} {' '.join(bf_args)} --master '{master}'")
    for mode in ("concat", "best-fit"):
        m = packing[mode]
        cnt = m["counts"]
        row(f"longmix sample + pack, {mode} packing, per-source at 0.1 (in-job; {cnt['documents_cut']:,} items cut across rows,"
            f" padding {100 * cnt['pad_share_without_tail']:.4f}% of row tokens without the partial row,"
            f" {100 * cnt['pad_share']:.4f}% with it)", tokens, m["seconds"], c, None)
    ratios.append(("best-fit pack in-job seconds ÷ concat pack in-job seconds, same plan (target ≤ 1.5)",
                   packing["best-fit"]["seconds"] / packing["concat"]["seconds"]))
    ratios.append(("best-fit padding, % of row tokens not counting the partial row (target ≤ 1)",
                   100 * packing["best-fit"]["counts"]["pad_share_without_tail"]))

    # 5. linearity
    if a.scale > 1:
        big = os.path.join(a.out, f"corpus-x{a.scale}")
        for i in range(a.scale):
            shutil.copytree(a.corpus, os.path.join(big, f"copy{i}"), ignore=shutil.ignore_patterns("*.tsv", "*.json", "*.md"))
        big_tok = os.path.join(a.out, f"tokenized-x{a.scale}")
        _, wall_big, rss_big = timed(lm + ["tokenize", "--input", big, "--output", big_tok, "--tokenizer", a.tokenizer] + quiet)
        mb = manifest(big_tok)
        cmds.append(f"./longmix tokenize --input OUT/corpus-x{a.scale} --output OUT/tokenized-x{a.scale} --tokenizer {a.tokenizer} --master '{master}'")
        row(f"longmix tokenize, corpus x{a.scale} under new document ids (wall)", mb["counts"]["tokens"], wall_big, c, rss_big)
        ratios.append((f"tokenize wall, corpus x{a.scale} ÷ x1 (target ≤ {1.1 * a.scale:.1f})", wall_big / tok_wall))
        ratios.append((f"tokenize peak RSS, corpus x{a.scale} ÷ x1 (flat: about 1)", rss_big / tok_rss))
        # The same plan on the bigger corpus: what each further corpus token costs each stage once
        # start-up and per-job scheduling (fixed costs) are paid, i.e. the rate at scale.
        big_hist, big_pack = os.path.join(a.out, f"histogram-x{a.scale}"), os.path.join(a.out, f"packed-x{a.scale}")
        timed(lm + ["histogram", "--input", big_tok, "--output", big_hist] + quiet)
        big_events, big_conf = events(f"pack-x{a.scale}")
        _, pack_wall_big, pack_rss_big = timed(lm + ["pack", "--input", big_tok, "--histogram", big_hist, "--output", big_pack] + plan_args + quiet + big_conf)
        pack_cpu_big = task_cpu_seconds(big_events)
        cmds.append(f"./longmix histogram --input OUT/tokenized-x{a.scale} --output OUT/histogram-x{a.scale} --master '{master}'")
        cmds.append(f"./longmix pack --input OUT/tokenized-x{a.scale} --histogram OUT/histogram-x{a.scale} --output OUT/packed-x{a.scale} {' '.join(plan_args)} --master '{master}' --conf spark.eventLog.enabled=true ...")
        big_tokens = mb["counts"]["tokens"]
        tok_job_big = mb["timing"]["seconds"]
        pack_job_big = manifest(big_pack)["seconds"]
        row(f"longmix tokenize, corpus x{a.scale} (in-job{memo_note(mb)})", big_tokens, tok_job_big, c, None)
        row(f"longmix sample + pack, corpus x{a.scale} (in-job)", big_tokens, pack_job_big, c, pack_rss_big)
        extra = big_tokens - tokens
        tok_marginal = extra / max(1e-9, tok_job_big - tok_job)
        pack_marginal = extra / max(1e-9, pack_job_big - pack_job)
        row(f"  tokenize, marginal: the x{a.scale} run's extra tokens ÷ its extra in-job seconds (the copies repeat the text: compare the two runs' word-memo shares)", extra, tok_job_big - tok_job, c, None)
        row(f"  sample + pack, marginal: the x{a.scale} run's extra corpus tokens ÷ its extra in-job seconds", extra, pack_job_big - pack_job, c, None)
        # The same x4 corpus packed to the x1 run's output size: what a further corpus token costs
        # when the output does not grow with it (627B in, 5B out is this case).
        fixed_out = os.path.join(a.out, f"packed-x{a.scale}-same-output")
        fixed_args = [x for x in plan_args]
        i = fixed_args.index("--budget-fraction")
        fixed_args[i:i + 2] = ["--budget-tokens", str(out_tokens)]
        fixed_events, fixed_conf = events(f"pack-x{a.scale}-same-output")
        timed(lm + ["pack", "--input", big_tok, "--histogram", big_hist, "--output", fixed_out] + fixed_args + quiet + fixed_conf)
        pack_cpu_fixed = task_cpu_seconds(fixed_events)
        cmds.append(f"./longmix pack --input OUT/tokenized-x{a.scale} --histogram OUT/histogram-x{a.scale} --output OUT/packed-x{a.scale}-same-output {' '.join(fixed_args)} --master '{master}' --conf spark.eventLog.enabled=true ...")
        pack_job_fixed = manifest(fixed_out)["seconds"]
        fixed_marginal = extra / max(1e-9, pack_job_fixed - pack_job)
        row(f"longmix sample + pack, corpus x{a.scale} to the x1 output size ({out_tokens:,} tokens; in-job)", big_tokens, pack_job_fixed, c, None)
        row(f"  sample + pack, marginal, output size fixed: extra corpus tokens ÷ extra in-job seconds", extra, pack_job_fixed - pack_job, c, None)
        # The same marginals on the clock tokenize's rate uses: the tasks' own CPU seconds (event
        # log), which leave out what the wall-clock marginals above still carry (JIT threads and
        # GC competing for the 2 cores, stragglers).
        row(f"  sample + pack, marginal in task CPU, output half the corpus: extra corpus tokens ÷ extra task-CPU seconds", extra, pack_cpu_big - pack_cpu, 1, None)
        row(f"  sample + pack, marginal in task CPU, output size fixed: extra corpus tokens ÷ extra task-CPU seconds", extra, pack_cpu_fixed - pack_cpu, 1, None)
        ratios.append(("tokenize tokens/s/core, marginal on repeated text ÷ raw tokenizer tokens/s", tok_marginal / c / raw["tokens_per_s"]))
        # At scale: pack's marginal rate per core against tokenize's rate per second of task CPU
        # on the x1 corpus (text the memo has not seen; the x4 copies repeat it).
        ratios.append(("sample + pack marginal corpus tokens/s/core ÷ tokenize tokens per task-CPU second, output half the corpus (target ≥ 10)", pack_marginal / c / tok_cpu_rate))
        ratios.append(("sample + pack marginal corpus tokens/s/core ÷ tokenize tokens per task-CPU second, output size fixed (target ≥ 10)", fixed_marginal / c / tok_cpu_rate))
        ratios.append(("sample + pack marginal corpus tokens per task-CPU second ÷ tokenize tokens per task-CPU second, output half the corpus (target ≥ 10)",
                       extra / max(1e-9, pack_cpu_big - pack_cpu) / tok_cpu_rate))
        ratios.append(("sample + pack marginal corpus tokens per task-CPU second ÷ tokenize tokens per task-CPU second, output size fixed (target ≥ 10)",
                       extra / max(1e-9, pack_cpu_fixed - pack_cpu) / tok_cpu_rate))

    # 6. one very long document
    if a.long_doc:
        book = books(a.corpus, 20_000_000)
        ld = os.path.join(a.out, "long-doc")
        os.makedirs(ld)
        with open(os.path.join(ld, "book.jsonl"), "w") as fh:
            fh.write(json.dumps({"text": book, "meta": {"redpajama_set_name": "RedPajamaBook"}}) + "\n")
        ld_tok = os.path.join(a.out, "tokenized-long-doc")
        _, wall_ld, rss_ld = timed(lm + ["tokenize", "--input", ld, "--output", ld_tok, "--tokenizer", a.tokenizer] + quiet)
        ml = manifest(ld_tok)
        cmds.append(f"./longmix tokenize --input OUT/long-doc --output OUT/tokenized-long-doc --tokenizer {a.tokenizer} --master '{master}'   # one 20M-character line")
        row("longmix tokenize, one 20M-character document (in-job, one core)", ml["counts"]["tokens"], ml["timing"]["seconds"], 1, rss_ld)
        long_rate = len(book.encode("utf-8")) / ml["timing"]["seconds"]
        normal_rate = raw["bytes"] / (tok_job * c)
        ratios.append(("one 20M-char document bytes/s (its one core) ÷ corpus bytes/s/core, in-job (target ≥ 0.5)", long_rate / normal_rate))

    lines = [f"Run {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} cores, {platform.platform()}, "
             f"corpus `{os.path.relpath(a.corpus, ROOT)}` ({tokens:,} tokens), tokenizer `{os.path.relpath(a.tokenizer, ROOT)}`, "
             f"Spark `{master}`.", "",
             "| step | tokens | seconds | cores | tokens/s/core | peak RSS MB |", "|---|---:|---:|---:|---:|---:|"]
    for name, t, w, cores, r, mem in rows:
        lines.append(f"| {name} | {t:,} | {w:.1f} | {cores} | {r:,.0f} | {'' if mem is None else f'{mem:,.0f}'} |")
    lines += ["", "| same-run ratio | value |", "|---|---:|"]
    lines += [f"| {n} | {v:.2f} |" for n, v in ratios]
    lines += ["", "Commands (OUT = " + os.path.relpath(a.out, ROOT) + "):", "", "```"] + cmds + ["```"]
    text = "\n".join(lines)
    print(text)
    if not a.no_write:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        doc = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
        doc = re.sub(r"<!-- bench:begin -->.*<!-- bench:end -->", lambda _: "<!-- bench:begin -->\n" + text + "\n<!-- bench:end -->", doc, flags=re.S)
        open(path, "w").write(doc)
        print(f"\nwrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
