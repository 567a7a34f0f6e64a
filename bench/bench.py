"""How much the whole analysis costs beside the bare parse, on every core, warm, and in memory, in one run.

    python bench/bench.py --n 1000            # generated news-like articles of ~700 words
    python bench/bench.py --corpus FOLDER     # your own articles
    make bench N=10000

Prints, on the same texts: the bare full ``nlp.pipe`` (words/s, the floor), ``analyze`` cold on one process
and on every core (CPU time of all processes as a ratio to the bare parse, wall-clock speedup), the warm
re-run (reading the cached tables) as a share of the cold run, the time of each step inside ``analyze``,
peak resident memory (the main process and its largest worker, from ``getrusage``), and ``make report`` from
the warm cache (every notebook and its HTML, the slowest notebook, the reports' size; ``--no-report`` skips
it). The floor is spaCy's model exactly as installed; the workbook runs its own pipeline (paragraph
boundaries, the attribute ruler compiled: ``analysis.attribute_rules``). ``--dask`` adds
``analyze(engine="dask")`` on a local cluster of one and of every-core workers. Each stage runs in a fresh
child process (so its CPU time counts its workers and its memory starts from nothing) with the model (and the
extractors' one-time imports and models) loaded before the clock starts: the ratios are per-article costs.
Not a test: nothing is asserted. On a shared machine the seconds are noisy; the ratios between stages of one
run say more.

The generated corpus (``make_corpus``) is not recombined seed text: each article is written from templates
with a story of its own (a city, an institution, people with titles, quotes direct, split, indirect and
"according to", dates absolute and relative, figures), deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

# ------------------------------------------------------------------------------------------ the generator

FIRST = ["Maria", "James", "Aisha", "Daniel", "Elena", "Kwame", "Sofia", "Rahul", "Laura", "Tomasz", "Grace", "Omar",
         "Hannah", "Luis", "Mei", "Peter", "Fatima", "Jonas", "Claire", "Ivan", "Nadia", "Samuel", "Ingrid", "Carlos",
         "Yuki", "Ahmed", "Rebecca", "Pavel", "Amara", "Michael", "Lucia", "David", "Priya", "Stefan", "Ruth", "Ali"]
LAST = ["Okafor", "Lindqvist", "Moreno", "Chen", "Novak", "Haddad", "Fischer", "Mensah", "Kowalski", "Rossi",
        "Tanaka", "Brennan", "Ibrahim", "Petrov", "Santos", "Walsh", "Nakamura", "Dubois", "Adeyemi", "Schmidt",
        "Gallagher", "Kim", "Varga", "Oliveira", "Hughes", "Sato", "Mbeki", "Larsen", "Costa", "Reyes", "Weber",
        "Murphy", "Demir", "Andersen", "Kaplan", "Nowak"]
CITIES = [("Leeds", "Britain"), ("Lyon", "France"), ("Porto", "Portugal"), ("Gdansk", "Poland"),
          ("Osaka", "Japan"), ("Accra", "Ghana"), ("Pune", "India"), ("Cordoba", "Argentina"),
          ("Tampere", "Finland"), ("Graz", "Austria"), ("Denver", "the United States"), ("Perth", "Australia"),
          ("Winnipeg", "Canada"), ("Izmir", "Turkey"), ("Mombasa", "Kenya"), ("Bilbao", "Spain")]
OUTLETS = ["The Daily Ledger", "Metro Wire", "The Evening Courier", "Northern Post", "Global Report", "City Times"]
TOPICS = {
    "strike": {"body": "the {city} Transit Authority", "union": "the Transport Workers Union",
               "nouns": ["strike", "wage offer", "walkout", "picket line", "contract", "overtime rules"],
               "acts": ["rejected the latest wage offer", "extended the walkout", "returned to the talks",
                        "warned of further stoppages", "agreed to independent mediation"]},
    "budget": {"body": "the {city} City Council", "union": "the Residents Association",
               "nouns": ["budget", "spending plan", "tax increase", "library closures", "road repairs", "deficit"],
               "acts": ["approved a smaller spending plan", "delayed the vote on the budget",
                        "cut funding for libraries", "promised to review the tax increase", "published new figures"]},
    "flood": {"body": "the National Environment Agency", "union": "the Farmers Federation",
              "nouns": ["flood", "river levels", "evacuation", "sandbags", "emergency fund", "insurance claims"],
              "acts": ["ordered the evacuation of low-lying streets", "opened an emergency fund",
                       "issued a severe flood warning", "sent engineers to the river", "reopened the main bridge"]},
    "trial": {"body": "the {city} High Court", "union": "the Bar Council",
              "nouns": ["trial", "verdict", "appeal", "evidence", "sentence", "witness statements"],
              "acts": ["adjourned the trial until next month", "rejected the appeal", "heard new evidence",
                       "delivered a split verdict", "ordered a retrial"]},
    "recall": {"body": "the Consumer Safety Office of {country}", "union": "the Retail Consortium",
               "nouns": ["recall", "faulty batteries", "refunds", "safety notice", "inspection", "supplier"],
               "acts": ["recalled 40,000 heaters", "widened the recall", "offered full refunds",
                        "suspended the supplier", "published a safety notice"]},
    "election": {"body": "the Electoral Commission of {country}", "union": "the Civic Monitors Network",
                 "nouns": ["election", "recount", "turnout", "ballots", "polling stations", "results"],
                 "acts": ["ordered a partial recount", "confirmed the turnout figures", "delayed the results",
                          "opened an inquiry into the ballots", "extended voting hours"]},
}
ROLES = ["spokeswoman for {body}", "spokesman for {body}", "chair of {body}", "director of {union}",
         "a senior official at {body}", "president of {union}", "a lawyer for {union}", "deputy mayor of {city}",
         "a professor of economics at the University of {city}", "an analyst at Meridian Research"]
CUES = ["said", "told reporters", "added", "warned", "argued", "explained", "insisted", "said in a statement"]
OPINIONS = ["we cannot accept {a} that ignores the people who depend on it",
            "the {noun} was handled badly from the very start",
            "nobody here wants to see the {noun} drag on for months",
            "this is a fair outcome and we should move forward",
            "the figures show clearly that the {noun} is working",
            "families in {city} deserve better than this",
            "we have been asking for a meeting since {month} and got nothing",
            "it is too early to say what the {noun} will cost",
            "the decision on the {noun} was rushed and poorly explained",
            "we are confident that the {noun} will be resolved by {weekday}"]
FACTS = ["{body} {act} on {weekday}, {ago}.",
         "The {noun} began on {date} and has since spread to {n} districts of {city}.",
         "Officials estimated the cost of the {noun} at {money} million, up {pct} percent from {year}.",
         "About {n},000 people were affected by the {noun}, according to figures released {ago}.",
         "A similar {noun} in {year} lasted {n} weeks before {body} {act}.",
         "{body} is expected to publish a full report on the {noun} by the end of {month}.",
         "Local businesses said the {noun} had cost them customers over the past {n} weeks.",
         "The next meeting on the {noun} is scheduled for {date}."]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AGO = ["last week", "two days ago", "earlier this month", "last month", "three weeks ago", "last year"]


def make_article(rng: random.Random, i: int) -> dict:
    """One news-like article of about 700 words, with its metadata."""
    topic = rng.choice(sorted(TOPICS))
    t = TOPICS[topic]
    city, country = rng.choice(CITIES)
    year = rng.randint(2015, 2025)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    body_name = t["body"].format(city=city, country=country)
    people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}",
               rng.choice(ROLES).format(body=body_name, union=t["union"], city=city)) for _ in range(rng.randint(3, 5))]

    def fill(template: str) -> str:
        noun = rng.choice(t["nouns"])
        return template.format(
            a=rng.choice(["a deal", "a plan", "a decision"]), noun=noun, city=city, country=country,
            month=rng.choice(MONTHS), weekday=rng.choice(WEEKDAYS), ago=rng.choice(AGO), body=body_name,
            act=rng.choice(t["acts"]), n=rng.randint(2, 40), money=rng.randint(2, 900), pct=rng.randint(2, 60),
            year=rng.randint(year - 12, year - 1), date=f"{rng.choice(MONTHS)} {rng.randint(1, 28)}")

    def cap(s: str) -> str:
        return s[:1].upper() + s[1:]

    introduced: set[str] = set()

    def quote_sentence(k: int) -> str:
        name, role = people[k % len(people)]
        surname = name.split()[-1]
        first_time = name not in introduced
        who = f"{name}, {role}," if first_time else surname
        opinion = fill(rng.choice(OPINIONS))
        form = rng.randrange(6)
        if form == 5 and k > 0:  # a quote without a cue: the previous speaker's, as news writes it
            return f"\u201c{cap(opinion)}.\u201d"
        introduced.add(name)
        if form == 0:
            return f"\u201c{cap(opinion)},\u201d {who.rstrip(',')} {rng.choice(CUES)}."
        if form == 1:
            return f"{who} {rng.choice(CUES)} on {rng.choice(WEEKDAYS)} that {opinion}."
        if form == 2:
            more = fill(rng.choice(OPINIONS))
            return f"\u201c{cap(opinion)},\u201d {who.rstrip(',')} said. \u201c{cap(more)}.\u201d"
        if form == 3:
            return f"According to {who.rstrip(',')}, {opinion}."
        if form == 4:
            return f"{who} told {rng.choice(OUTLETS)} that {opinion}."
        return f"{who} {rng.choice(CUES)}: \u201c{cap(opinion)}.\u201d"

    headline = cap(f"{body_name} {rng.choice(t['acts'])} as {rng.choice(t['nouns'])} row deepens in {city}")
    paragraphs = [f"{city.upper()}, {country.replace('the ', '')} \u2014 " + fill(rng.choice(FACTS))]
    k = 0
    while sum(len(p.split()) for p in paragraphs) < 680:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.55:
                sentences.append(quote_sentence(k))
                k += 1
            else:
                sentences.append(cap(fill(rng.choice(FACTS))))
        paragraphs.append(" ".join(sentences))
    return {"article_id": f"gen_{i:05d}", "file": f"gen_{i:05d}.txt", "outlet": OUTLETS[i % len(OUTLETS)],
            "title": headline, "published": published, "text": headline + "\n\n" + "\n\n".join(paragraphs) + "\n"}


def make_corpus(folder: Path, n: int, seed: int = 0) -> int:
    """Write n generated articles and their metadata.csv into folder; return the number of words."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as meta:
        out = csv.writer(meta)
        out.writerow(["article_id", "file", "outlet", "title", "published"])
        for i in range(n):
            art = make_article(rng, i)
            (folder / art["file"]).write_text(art["text"], encoding="utf-8")
            out.writerow([art["article_id"], art["file"], art["outlet"], art["title"], art["published"]])
            words += len(art["text"].split())
    return words


# ------------------------------------------------------------------------------------------ one stage

def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def stage(name: str, corpus: Path, cache: Path, jobs: int) -> dict:
    """Run one stage in this (fresh) process and return its measurements."""
    os.environ["NEWS_WORKBOOK_CACHE"] = str(cache)
    os.environ["NEWS_WORKBOOK_PROGRESS"] = "0"
    import analysis as an
    from analysis import nlp, pipeline

    assert Path(an.__file__).resolve().is_relative_to(Path(os.environ["PYTHONPATH"].split(os.pathsep)[0]).resolve())
    articles = an.load_corpus(corpus)
    texts = nlp.analysable(articles)["text"].tolist()
    all_words = sum(len(t.split()) for t in texts)
    if name == "bare" and jobs:  # --bare-sample: the first ``jobs`` articles only
        texts = texts[:jobs]
    # loaded before the clock starts, in every stage; the floor is the model exactly as shipped (its own
    # attribute ruler, no paragraph rule), the workbook's stages use the workbook's pipeline
    model = nlp.shipped_model() if name == "bare" else nlp.load_nlp()
    if name != "bare":  # and the one-time imports and models of the extractors (TextBlob, the stance model)
        pipeline._worker_init()
    cpu, wall = _cpu(), time.perf_counter()
    extra: dict = {}
    if name == "bare":
        for _doc in model.pipe(texts, batch_size=32):
            pass
    elif name == "dask":
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            client.wait_for_workers(jobs)
            client.run(_worker_ready)  # the model loaded in every worker: the cluster's start-up is not the analysis
            before = client.run(_process_cpu)
            cpu, wall = _cpu(), time.perf_counter()
            an.analyze(articles, engine="dask", client=client, progress=False)
            wall = time.perf_counter() - wall
            after = client.run(_process_cpu)
            cpu = _cpu() - cpu + sum(after[w] - before.get(w, 0.0) for w in after)
        return {"wall": wall, "cpu": cpu, "articles": len(texts)}
    elif name == "report":  # make report from the warm cache: every notebook, the HTML, the index
        from analysis.report import build_reports

        runs = build_reports(corpus, cache / "reports", progress=False, jobs=jobs)
        extra["notebooks"] = {r.name: [round(r.seconds, 1), r.ok, r.error] for r in runs}
        extra["report_bytes"] = sum(f.stat().st_size for f in (cache / "reports").glob("*.html"))
    else:  # cold or warm analyze
        an.analyze(articles, jobs=jobs, progress=False)
        extra["steps"] = dict(pipeline.last_timings)
    wall = time.perf_counter() - wall
    return {"wall": wall, "cpu": _cpu() - cpu, "rss_main": _rss(resource.RUSAGE_SELF),
            "rss_worker": _rss(resource.RUSAGE_CHILDREN), "words": sum(len(t.split()) for t in texts),
            "articles": len(texts), "all_words": all_words, **extra}


def _process_cpu() -> float:
    """CPU seconds of this process (run on each Dask worker)."""
    t = os.times()
    return t.user + t.system


def _worker_ready() -> None:
    from analysis import pipeline

    pipeline._worker_init()


def _rss(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux -> MiB


def run_stage(name: str, corpus: Path, cache: Path, jobs: int, code: Path) -> dict:
    """One stage in a child process, importing the package from ``code`` (a copy taken at the start of the run,
    so that the cache key, which hashes the code, holds from the cold run to the warm one)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, __file__, "--stage", name, "--corpus", str(corpus), "--cache", str(cache),
                           "--jobs", str(jobs)], capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        sys.exit(f"stage {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ the report

def _cores(m: dict) -> str:
    """CPU over wall time: the cores a stage actually had (below the workers it ran, the machine was busy)."""
    return f"{m['cpu'] / m['wall']:.2f} cores busy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of generated articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpus (default 0)")
    parser.add_argument("--corpus", type=Path, help="a folder of articles to use instead of generated ones")
    parser.add_argument("--jobs", type=int, default=None, help="processes for the all-cores run (default: every core)")
    parser.add_argument("--dask", action="store_true", help="also analyze on a local Dask cluster (1 and all workers)")
    parser.add_argument("--no-report", action="store_true", help="skip `make report` from the warm cache")
    parser.add_argument("--skip-one", action="store_true",
                        help="skip the one-process cold run (at N=10000 it is the longest stage)")
    parser.add_argument("--bare-sample", type=int, default=0,
                        help="time the bare parse on the first K articles only and scale it by words (0: all)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.corpus, args.cache, args.jobs)))
        return
    from analysis.pipeline import default_jobs

    jobs = args.jobs or default_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        code = tmp / "code"
        shutil.copytree(ROOT / "analysis", code / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "notebooks", code / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        if args.corpus:
            corpus = args.corpus
            print(f"corpus: {corpus}")
        else:
            corpus = tmp / "corpus"
            words = make_corpus(corpus, args.n, args.seed)
            print(f"corpus: {args.n} generated articles (seed {args.seed}), {words} words ({words / args.n:.0f} each)")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the start (a shared machine makes the "
              "seconds noisy: compare the ratios)", flush=True)
        bare = run_stage("bare", corpus, tmp / "cache-bare", args.bare_sample, code)
        sampled = ""
        if args.bare_sample and bare["words"] < bare["all_words"]:  # scaled to the whole corpus by its words
            scale = bare["all_words"] / bare["words"]
            sampled = f"  (measured on {bare['articles']} articles, {bare['words']} words, scaled x{scale:.1f})"
            bare = {**bare, "wall": bare["wall"] * scale, "cpu": bare["cpu"] * scale, "words": bare["all_words"]}
        print(f"bare nlp.pipe      {bare['wall']:8.1f} s wall {bare['cpu']:8.1f} s CPU  "
              f"{bare['words'] / bare['wall']:8.0f} words/s  "
              f"{_cores(bare)}  peak RSS {bare['rss_main']:.0f} MiB{sampled}", flush=True)
        one = None
        if not args.skip_one:
            one = run_stage("cold", corpus, tmp / "cache-1", 1, code)
            print(f"analyze cold, 1    {one['wall']:8.1f} s wall {one['cpu']:8.1f} s CPU  "
                  f"CPU {one['cpu'] / bare['cpu']:.2f} x bare parse  {_cores(one)}  "
                  f"peak RSS {one['rss_main']:.0f} MiB", flush=True)
            print("  steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in one["steps"].items()), flush=True)
        many = run_stage("cold", corpus, tmp / "cache-n", jobs, code)
        print(f"analyze cold, {jobs:<4} {many['wall']:8.1f} s wall {many['cpu']:8.1f} s CPU  "
              f"CPU {many['cpu'] / bare['cpu']:.2f} x bare parse  {_cores(many)}  "
              + (f"speedup {one['wall'] / many['wall']:.2f} x (wall)  " if one else "")
              + f"peak RSS main {many['rss_main']:.0f} MiB, largest worker {many['rss_worker']:.0f} MiB", flush=True)
        print("  steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in many["steps"].items()), flush=True)
        if one:
            print(f"  speedup on {jobs} free cores, from the CPU times (what a quiet machine would show): "
                  f"{jobs * one['cpu'] / many['cpu']:.2f} x", flush=True)
        warm = run_stage("warm", corpus, tmp / "cache-n", jobs, code)
        print(f"analyze warm       {warm['wall']:8.1f} s wall {warm['cpu']:8.1f} s CPU  "
              f"{warm['wall'] / many['wall']:.1%} of the cold run (wall)", flush=True)
        if not args.no_report:
            rep = run_stage("report", corpus, tmp / "cache-n", jobs, code)
            slowest = max(rep["notebooks"].items(), key=lambda kv: kv[1][0])
            failed = [k for k, v in rep["notebooks"].items() if not v[1]]
            print(f"make report, warm  {rep['wall']:8.1f} s wall {rep['cpu']:8.1f} s CPU  "
                  f"{len(rep['notebooks'])} notebooks, slowest {slowest[0]} {slowest[1][0]:.1f} s, "
                  f"HTML {rep['report_bytes'] / 2**20:.1f} MiB in all"
                  + (f", FAILED: {', '.join(failed)}" if failed else ""), flush=True)
            print("  notebooks: " + ", ".join(f"{k} {v[0]:.1f} s" for k, v in rep["notebooks"].items()), flush=True)
        if args.dask:
            d1 = run_stage("dask", corpus, tmp / "cache-d1", 1, code)
            dn = run_stage("dask", corpus, tmp / "cache-dn", jobs, code)
            print(f"dask, 1 worker     {d1['wall']:8.1f} s wall {d1['cpu']:8.1f} s CPU  {_cores(d1)}", flush=True)
            print(f"dask, {jobs} workers   {dn['wall']:8.1f} s wall {dn['cpu']:8.1f} s CPU  {_cores(dn)}  "
                  f"speedup {d1['wall'] / dn['wall']:.2f} x (wall)", flush=True)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average {load:.1f} at the end. 'cores busy' (CPU / wall) shows what the machine gave each "
              "stage: a wall-clock speedup means something only where it is near the number of workers.")


if __name__ == "__main__":
    main()
