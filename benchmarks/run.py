"""Scale and speed benchmark: synthetic projects of N claims, timed end to end.

Run from the project root (not part of the pytest suite):

    .venv/bin/python benchmarks/run.py [--sizes 100,1000,5000,10000] [--repeat 3] [--out benchmarks/results/latest.json]

For each N it generates, in a temporary folder, a schema-valid project (see ``generate``),
asserts that ``sitegen validate`` reports no problem at all, then times whole processes:
``sitegen validate``, ``sitegen render --out``, ``sitegen build --site-dir`` and a bare
``mkdocs build -q`` of the rendered project, interleaved, median of the repeats. Peak memory
is each process's own maximum resident set size (``os.wait4``). It then measures the built
site: size, search index, and the gzip bytes of a first visit to a claim page and the home page.
Everything it generates is deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "latest.json"
GZIP_LEVEL = 9
SEED = 20261125
TOPICS = 5  # as the real site; fixed so the sidebar is the same size at every N
SOURCES_PER_FILE = 250  # a source file must stay under sitegen's 512 KiB limit
BUDGETS = {
    "build_over_bare_1000": 1.15,
    "build_exponent_1000_5000": 1.1,
    "validate_cold_10000_s": 5.0,
    "validate_warm_over_cold": 0.2,
    "validate_one_changed_over_cold": 0.3,
    "validate_10000_peak_bytes": 500 * 10**6,
    "serve_1000_s": 1.5,
    "serve_1000_over_build": 0.15,
    "serve_10000_s": 3.0,
    "claim_first_visit_1000_gzip_bytes": 300 * 1024,
}

# --------------------------------------------------------------------------- generation

WORDS = ["adult", "adults", "alkaloid", "analysis", "anxiety", "assessment", "association", "baseline", "behaviour", "benefit", "blood", "brain", "care", "caution", "cells", "change", "chronic", "clinical", "cohort", "comparison", "concentration", "condition", "consistent", "control", "controlled", "cortisol", "daily", "data", "dependence", "depression", "design", "disorder", "dose", "doses", "effect", "effects", "evidence", "exposure", "extract", "finding", "findings", "follow", "group", "groups", "harm", "harms", "health", "heart", "higher", "human", "humans", "increase", "injury", "interaction", "interval", "laboratory", "leaf", "level", "limited", "liver", "long", "lower", "measure", "measured", "medicine", "mental", "mood", "months", "mouse", "national", "observed", "opioid", "outcome", "outcomes", "pain", "participants", "patients", "people", "period", "placebo", "plant", "population", "possible", "potential", "pressure", "primary", "product", "products", "question", "rate", "rates", "receptor", "reported", "reports", "research", "response", "result", "results", "review", "risk", "risks", "sample", "samples", "self", "serious", "short", "signal", "small", "standard", "stress", "studies", "study", "survey", "symptoms", "systematic", "team", "tests", "therapy", "treatment", "trial", "trials", "uncertain", "use", "users", "variable", "weeks", "withdrawal", "women", "years"]
SURNAMES = ["smith", "garcia", "nguyen", "patel", "kim", "muller", "rossi", "tanaka", "okafor", "silva", "cohen", "brown", "singh", "jones", "lopez", "chen"]
KIND_WEIGHTS = {"efficacy": 25, "safety": 25, "pharmacology": 15, "physiology": 12, "treatment": 15, "legal": 8}
LEVELS_OF_KIND = {
    "efficacy": {"observational": 35, "animal-lab": 15, "mechanism-opinion": 15, "none": 10, "rct": 15, "systematic-review": 10},
    "pharmacology": {"animal-lab": 40, "consensus": 20, "observational": 15, "mechanism-opinion": 15, "rct": 10},
    "physiology": {"consensus": 50, "systematic-review": 20, "observational": 20, "mechanism-opinion": 10},
    "safety": {"case-reports": 35, "observational": 30, "official-record": 15, "systematic-review": 10, "animal-lab": 10},
    "treatment": {"systematic-review": 45, "rct": 30, "consensus": 25},
    "legal": {"official-record": 100},
}
# Study designs an evidence level needs among the cited sources (mirrors model.DESIGNS_OF_LEVEL).
NEEDED_DESIGNS = {
    "systematic-review": ["systematic-review", "meta-analysis"],
    "rct": ["rct", "systematic-review", "meta-analysis"],
    "observational": ["cohort", "case-control", "cross-sectional-survey", "ecological-momentary-assessment", "non-randomised-trial"],
    "case-reports": ["case-report", "case-series", "surveillance", "database-entry"],
    "consensus": ["narrative-review", "guideline"],
    "official-record": ["regulatory", "legislation"],
    "animal-lab": ["animal", "in-vitro"],
    "mechanism-opinion": ["narrative-review", "expert-opinion"],
}
DESIGN_WEIGHTS = {
    "systematic-review": 8, "meta-analysis": 5, "rct": 12, "non-randomised-trial": 3, "cohort": 10, "case-control": 5,
    "cross-sectional-survey": 12, "ecological-momentary-assessment": 2, "case-series": 4, "case-report": 6, "surveillance": 5,
    "animal": 8, "in-vitro": 4, "narrative-review": 6, "guideline": 3, "regulatory": 3, "legislation": 2, "news-report": 1,
    "database-entry": 1, "expert-opinion": 1,
}
TYPE_OF_DESIGN = {"regulatory": "regulatory-statement", "legislation": "legislation", "news-report": "news-report",
                  "database-entry": "database-entry", "guideline": "report"}
POPULATION_OF_DESIGN = {"animal": "animals", "in-vitro": "in-vitro", "regulatory": "not-applicable", "legislation": "not-applicable",
                        "news-report": "not-applicable", "database-entry": "not-applicable", "guideline": "not-applicable"}
STRONG_VERDICTS = ["supported", "well-established", "uncertain", "not-supported"]
WEAK_VERDICTS = ["insufficient-evidence", "not-supported", "uncertain", "misleading"]
CONTENT_INDEX = """\
# Synthetic review

This site is generated by the benchmark. It has the same structure as the real one.

<!-- sitegen:crisis -->

## Evidence map

<!-- sitegen:evidence-map -->

## Topics

<!-- sitegen:topics -->
"""
CONTENT_ARTICLE = "# The article and its claims\n\nEvery claim, with the article's words.\n\n<!-- sitegen:claims-table -->\n"
CONTENT_TAGS = "# Browse by tag\n\nEvery claim is tagged with its kind, verdict and evidence level.\n\n<!-- material/tags -->\n"
COPYRIGHT = """\
<div class="md-copyright">
  <div class="md-copyright__highlight">
    Synthetic benchmark site. <a href="{{ 'tags/' | url }}">Browse by tag</a>
  </div>
</div>
"""


class Text:
    """Deterministic pseudo-English: sentences of common words, no markup."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, low: int = 8, high: int = 20) -> str:
        text = self.words(self.rng.randint(low, high))
        return text[0].upper() + text[1:] + "."

    def prose(self, n_words: int) -> str:
        sentences, count = [], 0
        while count < n_words:
            s = self.sentence()
            sentences.append(s)
            count += s.count(" ") + 1
        return " ".join(sentences)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _block(key: str, text: str, indent: str = "", style: str = ">-") -> str:
    body = "\n\n".join(textwrap.fill(p, 88, initial_indent=indent + "  ", subsequent_indent=indent + "  ") for p in text.split("\n\n"))
    return f"{indent}{key}: {style}\n{body}\n"


def _sources(n: int, rng: random.Random, text: Text) -> list[dict[str, str]]:
    designs = [_pick(rng, DESIGN_WEIGHTS) for _ in range(n)]
    # Every design a level may need exists at least once, even at small N.
    for i, design in enumerate(["rct", "systematic-review", "cohort", "case-report", "narrative-review", "regulatory", "animal"]):
        if design not in designs:
            designs[i] = design
    sources = []
    for i, design in enumerate(designs):
        year = rng.randint(1995, 2026)
        sources.append({"id": f"{rng.choice(SURNAMES)}{year}-{i:05d}", "design": design, "year": str(year),
                        "title": text.sentence(6, 14)[:-1], "container": f"Journal of {text.words(2).title()}"})
    return sources


def _source_yaml(s: dict[str, str], rng: random.Random) -> str:
    design = s["design"]
    authors = ", ".join(f"{rng.choice(SURNAMES).title()} {rng.choice('ABCDEFGHJKLMNPRS')}" for _ in range(rng.randint(1, 5)))
    lines = [f"  - id: {s['id']}", f"    type: {TYPE_OF_DESIGN.get(design, 'journal-article')}", f"    authors: [{authors}]",
             f"    title: {_q(s['title'])}", f"    container: {_q(s['container'])}", f"    year: {s['year']}"]
    if design in TYPE_OF_DESIGN:
        lines.append(f"    url: https://example.org/records/{s['id']}")
    else:
        lines += [f"    volume: \"{rng.randint(1, 400)}\"", f"    pages: \"{rng.randint(1, 900)}-{rng.randint(901, 999)}\"",
                  f"    doi: 10.5555/bench.{s['id']}", f"    pmid: \"{rng.randint(10_000_000, 39_999_999)}\""]
    lines += [f"    design: {design}", f"    population: {POPULATION_OF_DESIGN.get(design, 'humans')}"]
    return "\n".join(lines) + "\n"


class _RoundRobin:
    """Hands out items in a shuffled cycle, so every item is used about equally (every source cited)."""

    def __init__(self, items: list[str], rng: random.Random) -> None:
        self.items = items[:]
        rng.shuffle(self.items)
        self.next = 0

    def take(self, avoid: set[str]) -> str | None:
        for _ in range(len(self.items)):
            item = self.items[self.next % len(self.items)]
            self.next += 1
            if item not in avoid:
                return item
        return None


def _certainty_lines(level: str, verdict: str, rng: random.Random, text: Text) -> list[str]:
    """A certainty block that follows from the level's start and fits the verdict (none for level none)."""
    from sitegen.grading import ALLOWED_CERTAINTY, RATINGS, START_OF_LEVEL
    from sitegen.model import EvidenceLevel, LoweringDomain, RaisingDomain, Verdict

    start = START_OF_LEVEL[EvidenceLevel(level)]
    if start is None:
        return []
    rating = rng.choice([r for r in RATINGS if r in ALLOWED_CERTAINTY[Verdict(verdict)]])
    moves = RATINGS.index(rating) - RATINGS.index(start)
    key, domains = ("lowered", list(LoweringDomain)) if moves >= 0 else ("raised", list(RaisingDomain))
    lines = ["certainty:", f"  rating: {rating.value}", f"  {key}:" + ("" if moves else " []")]
    for _ in range(abs(moves)):
        lines += [f"    - domain: {rng.choice(domains).value}", _block("reason", text.sentence(12, 25), indent="      ").rstrip("\n")]
    return lines


def _claim_yaml(i: int, claim_id: str, topic: str, related: list[str], citations: list[tuple[str, str]], kind: str, level: str,
                rng: random.Random, text: Text, today: dt.date) -> str:
    """One claim of about 500 words over statement, summary, details and caveats."""
    strong = level in ("rct", "systematic-review")
    verdict = rng.choice(STRONG_VERDICTS if strong or kind != "efficacy" else WEAK_VERDICTS)
    if level == "none" and verdict in ("supported", "well-established"):
        verdict = "insufficient-evidence"
    reviewed = today - dt.timedelta(days=rng.randint(0, 120))
    first = reviewed - dt.timedelta(days=rng.randint(0, 400))
    out = [f"id: {claim_id}", f"title: {_q(f'Claim {i}: ' + text.words(rng.randint(4, 9)))}", f"kind: {kind}", f"topic: {topic}",
           f"statement: {_q(text.sentence(15, 25))}"]
    if kind == "efficacy" or rng.random() < 0.5:
        out.append(_block("quote", text.sentence(12, 30)).rstrip("\n"))
    out += [f"verdict: {verdict}", f"evidence_level: {level}", *_certainty_lines(level, verdict, rng, text)]
    if kind == "legal":
        out.append(f"as_of: {(reviewed - dt.timedelta(days=rng.randint(0, 30))).isoformat()}")
    out += [_block("summary", text.prose(130)).rstrip("\n"),
            _block("details", text.prose(150) + "\n\n" + text.prose(140), style="|-").rstrip("\n"), "evidence:"]
    for source_id, stance in citations:
        out += [f"  - source: {source_id}", f"    stance: {stance}", _block("note", text.sentence(10, 20), indent="    ").rstrip("\n")]
    out.append("caveats:")
    out += [f"  - {_q(text.sentence(15, 25))}" for _ in range(3)]
    if related:
        out.append("related:")
        out += [f"  - {r}" for r in related]
    out += ["reviewed:", f"  date: {reviewed.isoformat()}", f"  next_due: {(reviewed + dt.timedelta(days=365)).isoformat()}",
            "history:", f"  - date: {first.isoformat()}", "    change: First published."]
    if reviewed > first:
        out += [f"  - date: {reviewed.isoformat()}", f"    change: {_q('Reviewed again. ' + text.sentence(6, 12))}"]
    return "\n".join(out) + "\n"


def _mkdocs_yml(topic_ids: list[str]) -> str:
    topics = "\n".join(f"      - claims/{t}/index.md" for t in topic_ids)
    return f"""\
site_name: "Synthetic review: benchmark"
site_description: A synthetic evidence review generated by the sitegen benchmark.
site_url: https://example.org/
docs_dir: content
theme:
  name: material
  custom_dir: overrides
  font: false
  language: en
  features:
    - navigation.sections
    - navigation.indexes
    - navigation.top
    - search.highlight
  palette:
    scheme: default
    primary: indigo
    accent: indigo
plugins:
  - search
  - tags
  - sitegen
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
extra:
  generator: false
nav:
  - Home: index.md
  - Claims:
      - claims/index.md
{topics}
"""


def generate(root: Path, n: int, *, seed: int = SEED) -> dict[str, object]:
    """Write a project of ``n`` claims under ``root``; return what it holds.

    Shape: 5 topics (as the real site), claims spread evenly over them; kinds drawn
    25% efficacy, 25% safety, 15% pharmacology, 15% treatment, 12% physiology, 8% legal;
    an evidence level drawn per kind (efficacy is mostly observational or weaker, so its
    verdict is then never 'supported'); N/5 sources (at least 10) with a realistic mix of
    designs; each claim cites 2 to 4 sources, one of them with a design its level needs,
    and every source is cited; 0 to 3 related claims in the same topic; about 500 words
    of prose per claim (statement 15-25, summary ~130, details ~290 in two paragraphs,
    three caveats of 15-25), plus a note per citation.
    """
    rng = random.Random(seed * 100_003 + n)
    text = Text(rng)
    today = dt.date.today()
    claims_dir = root / "claims"
    topic_ids = [f"topic-{t + 1:02d}" for t in range(TOPICS)]
    (claims_dir / "sources").mkdir(parents=True)
    (claims_dir / "site.yaml").write_text(
        "name: \"Synthetic review: benchmark\"\ndescription: A synthetic evidence review generated by the sitegen benchmark.\n"
        "reviewed_work:\n  title: The synthetic article\n  description: An article made of generated claims.\n"
        "crisis_help:\n  text: If you are in crisis, call your local emergency number.\n  url: https://example.org/help\n",
        encoding="utf-8")
    (claims_dir / "topics.yaml").write_text("topics:\n" + "".join(
        f"  - id: {t}\n    title: {_q(f'Topic {k + 1}: ' + text.words(3))}\n    description: {_q(text.sentence(12, 20))}\n"
        for k, t in enumerate(topic_ids)), encoding="utf-8")
    sources = _sources(max(10, n // 5), rng, text)
    for start in range(0, len(sources), SOURCES_PER_FILE):
        chunk = sources[start:start + SOURCES_PER_FILE]
        (claims_dir / "sources" / f"sources-{start // SOURCES_PER_FILE:03d}.yaml").write_text(
            "sources:\n" + "".join(_source_yaml(s, rng) for s in chunk), encoding="utf-8")
    by_design: dict[str, list[str]] = {}
    for s in sources:
        by_design.setdefault(s["design"], []).append(s["id"])
    not_human = {s["id"] for s in sources if POPULATION_OF_DESIGN.get(s["design"], "humans") in ("animals", "in-vitro")}
    anchors = {level: _RoundRobin([i for d in designs for i in by_design.get(d, [])], rng) for level, designs in NEEDED_DESIGNS.items()}
    anyone = _RoundRobin([s["id"] for s in sources], rng)
    ids = [f"{text.words(1)}-{text.words(1)}-{i:05d}" for i in range(n)]
    topic_of = [topic_ids[i % TOPICS] for i in range(n)]
    kinds, levels = {}, {}
    for i in range(n):
        kind = _pick(rng, KIND_WEIGHTS)
        level = _pick(rng, LEVELS_OF_KIND[kind])
        kinds[kind] = kinds.get(kind, 0) + 1
        levels[level] = levels.get(level, 0) + 1
        cited: list[str] = []
        anchor = anchors[level].take(set()) if level in anchors and anchors[level].items else None
        if anchor:
            cited.append(anchor)
        wanted = rng.randint(2, 4)
        while len(cited) < wanted:
            extra = anyone.take(set(cited))
            if extra is None:
                break
            cited.append(extra)
        stances = [(c, rng.choice(["supports", "supports", "contradicts", "context"])) for c in cited]
        if kind == "efficacy":  # SG313: animal and laboratory studies are only context for efficacy claims
            stances = [(c, "context" if c in not_human and stance == "supports" else stance) for c, stance in stances]
        same_topic = [j for j in (i + TOPICS * d for d in (-3, -2, -1, 1, 2, 3)) if 0 <= j < n]
        related = [ids[j] for j in rng.sample(same_topic, min(len(same_topic), rng.randint(0, 3)))]
        path = claims_dir / topic_of[i] / f"{ids[i]}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_claim_yaml(i, ids[i], topic_of[i], related, stances, kind, level, rng, text, today), encoding="utf-8")
    content = root / "content"
    content.mkdir()
    (content / "index.md").write_text(CONTENT_INDEX, encoding="utf-8")
    (content / "article.md").write_text(CONTENT_ARTICLE, encoding="utf-8")
    (content / "tags.md").write_text(CONTENT_TAGS, encoding="utf-8")
    (root / "overrides" / "partials").mkdir(parents=True)
    (root / "overrides" / "partials" / "copyright.html").write_text(COPYRIGHT, encoding="utf-8")
    (root / "mkdocs.yml").write_text(_mkdocs_yml(topic_ids), encoding="utf-8")
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in list(claims_dir.glob("topic-*/*.yaml"))[:200])
    return {"claims": n, "topics": TOPICS, "sources": len(sources), "kinds": dict(sorted(kinds.items())),
            "evidence_levels": dict(sorted(levels.items())), "yaml_words_per_claim_file": round(words / min(n, 200))}


# --------------------------------------------------------------------------- measuring


def run_measured(args: list[str], cwd: Path) -> dict[str, float]:
    """Run one whole process; return wall seconds, CPU seconds and its own peak RSS in bytes."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            err.seek(0)
            tail = (out.read() + err.read()).decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(args[1:4])} failed with exit code {process.returncode}:\n{tail}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_bytes": usage.ru_maxrss * 1024}


def summarise(runs: list[dict[str, float]]) -> dict[str, object]:
    return {
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "peak_rss_bytes": max(r["peak_rss_bytes"] for r in runs),
        "runs": len(runs),
        "wall_s_all": [round(r["wall_s"], 3) for r in runs],
    }


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


class _Assets(HTMLParser):
    """What a page makes the browser fetch at once: stylesheets, scripts, icon; and Material's config."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_config = False
        self.config = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and a.get("href") and ("stylesheet" in rel or "icon" in rel):
            self.urls.append(a["href"] or "")
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"] or "")
        self._in_config = tag == "script" and a.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


def page_weight(site: Path, page: Path) -> dict[str, object]:
    """Raw and gzip bytes of a first visit: the page, what it references, the search worker and index."""
    relative = page.relative_to(site).as_posix()
    base_url = "https://site.invalid/" + relative
    parser = _Assets()
    html = page.read_bytes()
    parser.feed(html.decode("utf-8"))
    items = [("page", relative, html)]

    def local(url: str) -> Path | None:
        parts = urlsplit(urljoin(base_url, url))
        if parts.netloc != "site.invalid":
            return None
        path = site / parts.path.lstrip("/")
        return path if path.is_file() else None

    for url in parser.urls:
        path = local(url)
        if path is not None:
            items.append(("asset", path.relative_to(site).as_posix(), path.read_bytes()))
    config = json.loads(parser.config) if parser.config.strip() else {}
    worker = local(config["search"]) if config.get("search") else None
    if worker is not None:
        items.append(("search-worker", worker.relative_to(site).as_posix(), worker.read_bytes()))
    index = site / "search" / "search_index.json"
    rows = [{"kind": kind, "file": name, "raw": len(data), "gzip": gz(data)} for kind, name, data in items]
    without = sum(r["gzip"] for r in rows)
    index_gzip = gz(index.read_bytes()) if worker is not None and index.is_file() else 0
    return {
        "page": relative, "files": rows,
        "raw_without_index": sum(r["raw"] for r in rows), "gzip_without_index": without,
        "search_index_gzip": index_gzip, "gzip_with_index": without + index_gzip,
    }


def site_metrics(site: Path) -> dict[str, object]:
    files = [p for p in site.rglob("*") if p.is_file()]
    claim_pages = sorted(p for p in site.glob("claims/topic-*/*/index.html"))
    sizes = sorted((p.stat().st_size, p) for p in claim_pages)
    median_page = sizes[len(sizes) // 2][1]
    index = (site / "search" / "search_index.json").read_bytes()
    tags = site / "tags" / "index.html"
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "site_files": len(files),
        "claim_page_html_median_bytes": median_page.stat().st_size,
        "claim_page_html_median_gzip": gz(median_page.read_bytes()),
        "search_index_bytes": len(index),
        "search_index_gzip": gz(index),
        "search_index_docs": len(json.loads(index)["docs"]),
        "tags_page_bytes": tags.stat().st_size if tags.is_file() else None,
        "claims_index_bytes": (site / "claims" / "index.html").stat().st_size,
        "sitemap_bytes": (site / "sitemap.xml").stat().st_size if (site / "sitemap.xml").is_file() else None,
        "claim_first_visit": page_weight(site, median_page),
        "home_first_visit": page_weight(site, site / "index.html"),
    }


def check_clean(project: Path) -> dict[str, object]:
    """``sitegen validate`` must pass with no error and no warning on the generated project."""
    result = subprocess.run([sys.executable, "-m", "sitegen", "validate", "--format", "json", "--strict"], cwd=project,
                            capture_output=True, text=True, check=False)
    problems = json.loads(result.stdout or '{"problems": []}')["problems"]
    if result.returncode != 0 or problems:
        sample = "\n".join(f"{p['path']}:{p['line']}: {p['code']} {p['message']}" for p in problems[:10])
        raise SystemExit(f"generated project is not clean (exit {result.returncode}, {len(problems)} problems):\n{sample}\n{result.stderr}")
    return {"problems": 0}


def _copy_overrides(project: Path, render_out: Path) -> None:
    """'sitegen render' writes mkdocs.yml with the theme's custom_dir but does not copy that folder; copy it if missing."""
    if (project / "overrides").is_dir() and not (render_out / "overrides").exists():
        shutil.copytree(project / "overrides", render_out / "overrides")


VALIDATE_MODES = ("validate_cold", "validate_warm", "validate_one_changed")


def measure_validate_modes(project: Path, n: int) -> dict[str, dict[str, float]]:
    """``sitegen validate`` with its cache: empty (cold), unchanged (warm), and after one claim file changed."""
    cache = project / ".bench-cache"
    shutil.rmtree(cache, ignore_errors=True)
    args = [sys.executable, "-m", "sitegen", "validate", "--cache-dir", str(cache)]
    out = {"validate_cold": run_measured(args, project), "validate_warm": run_measured(args, project)}
    claim = min(project.glob("claims/topic-01/*.yaml"))
    text = claim.read_text(encoding="utf-8")
    claim.write_text(re.sub(r'^statement: "', 'statement: "Edited. ', text, count=1, flags=re.MULTILINE), encoding="utf-8")
    out["validate_one_changed"] = run_measured(args, project)
    claim.write_text(text, encoding="utf-8")
    shutil.rmtree(cache, ignore_errors=True)
    log(f"N={n}: validate cold / warm / one changed: " + " / ".join(f"{m['wall_s']:.2f} s" for m in out.values()))
    return out


def measure_size(n: int, work: Path, *, repeat: int, heavy_repeat: int, do_build: bool, zensical_up_to: int = 1000) -> dict[str, object]:
    project = work / f"n{n}"
    project.mkdir()
    t0 = time.perf_counter()
    shape = generate(project, n)
    shape["generate_s"] = round(time.perf_counter() - t0, 2)
    log(f"N={n}: generated in {shape['generate_s']} s ({shape['sources']} sources); checking it is clean")
    check_clean(project)
    py = sys.executable
    load_before = round(os.getloadavg()[0], 2)
    render_out, site_dir = work / f"n{n}-render", work / f"n{n}-site"
    commands = {
        "validate": [py, "-m", "sitegen", "validate", "--no-cache"],
        "render": [py, "-m", "sitegen", "render", "--no-cache", "--out", str(render_out)],
        "build": [py, "-m", "sitegen", "build", "--no-cache", "--site-dir", str(site_dir)],
        "mkdocs_bare": [py, "-m", "mkdocs", "build", "-q"],
        "zensical_bare": [str(Path(py).parent / "zensical"), "build", "--clean"],
    }
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in commands}
    runs.update({k: [] for k in VALIDATE_MODES})
    for r in range(max(repeat, heavy_repeat)):
        if r < repeat:
            for name, measured in measure_validate_modes(project, n).items():
                runs[name].append(measured)
        for name, args in commands.items():
            if r >= (repeat if name == "validate" else heavy_repeat):
                continue
            if name in ("build", "mkdocs_bare", "zensical_bare") and not do_build:
                continue
            if name == "zensical_bare" and (n > zensical_up_to or not Path(args[0]).exists()):
                continue
            cwd = render_out if name in ("mkdocs_bare", "zensical_bare") else project
            if name in ("mkdocs_bare", "zensical_bare"):
                _copy_overrides(project, render_out)
            runs[name].append(run_measured(args, cwd))
            log(f"N={n}: {name} run {r + 1}: {runs[name][-1]['wall_s']:.2f} s, {runs[name][-1]['peak_rss_bytes'] / 2**20:.0f} MiB")
    result: dict[str, object] = {"n": n, "shape": shape, "timings": {k: summarise(v) for k, v in runs.items() if v},
                                 "load_average_before_after": [load_before, round(os.getloadavg()[0], 2)]}
    if do_build:
        result["site"] = site_metrics(site_dir)
    else:
        result["skipped"] = "full build and bare mkdocs build skipped (see notes)"
    for path in (project, render_out, site_dir):
        shutil.rmtree(path, ignore_errors=True)
    return result


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, token: str, deadline_s: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        page = _fetch(url)
        if page is not None and token in page:
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def measure_serve(n: int, work: Path, *, edits: int = 3) -> dict[str, object]:
    """``sitegen serve`` on a project of ``n`` claims: seconds from saving a claim file to the page showing the change."""
    project = work / f"serve-n{n}"
    project.mkdir()
    generate(project, n)
    claim = min(project.glob("claims/topic-01/*.yaml"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/claims/topic-01/{claim.stem}/"
    log_file = work / "serve.log"
    with log_file.open("wb") as log_handle:
        process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                   stdout=log_handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            start = time.perf_counter()
            if _wait_for(url, "Claim", 600) is None:
                raise RuntimeError("sitegen serve did not come up: " + log_file.read_text(errors="replace")[-2000:])
            first = time.perf_counter() - start
            latencies = []
            for i in range(edits):
                token = f"servemarker{i}x{SEED}"
                text = claim.read_text(encoding="utf-8")
                text = re.sub(r'^statement: "', f'statement: "{token.title()} ', text, count=1, flags=re.MULTILINE)
                claim.write_text(text, encoding="utf-8")
                seen = _wait_for(url, token.title(), 600)
                latencies.append(seen)
                log(f"serve N={n}: edit {i + 1} visible after {seen if seen is None else round(seen, 2)} s")
                time.sleep(2)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    shutil.rmtree(project, ignore_errors=True)
    done = [x for x in latencies if x is not None]
    return {"n": n, "first_page_s": round(first, 2), "edit_to_visible_s": [round(x, 2) for x in done],
            "edit_to_visible_median_s": statistics.median(done) if done else None, "edits_not_seen": len(latencies) - len(done)}


# --------------------------------------------------------------------------- reporting


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, object]:
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = round(kib / 2**20, 1)
    except (OSError, AttributeError):
        pass
    versions = {}
    for package in ("sitegen", "mkdocs", "mkdocs-material", "Markdown", "Jinja2", "PyYAML"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    import yaml

    return {
        "cpu_count": os.cpu_count(), "cpu_model": model or None, "ram_gib": ram, "system": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(), "versions": versions, "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
    }


def sitegen_fingerprint() -> str:
    """A short hash of the installed sitegen package (code, templates, assets), to tell runs of different code apart."""
    import hashlib

    import sitegen

    package = Path(sitegen.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def exponent(results: dict[int, dict], key: str, a: int, b: int) -> float | None:
    try:
        ta, tb = results[a]["timings"][key]["wall_s"], results[b]["timings"][key]["wall_s"]
    except KeyError:
        return None
    return math.log(tb / ta) / math.log(b / a)


def _budget(name: str, measured: str | None, passed: bool) -> dict[str, object]:
    return {"budget": name, "measured": measured, "pass": passed}


def verdicts(results: dict[int, dict], serve: list[dict[str, object]] | None = None) -> list[dict[str, object]]:
    def t(n: int, key: str, field: str = "wall_s") -> float | None:
        return results.get(n, {}).get("timings", {}).get(key, {}).get(field)

    out = []
    cold, warm, changed = t(10000, "validate_cold"), t(10000, "validate_warm"), t(10000, "validate_one_changed")
    out.append(_budget("validate 10,000 claims cold (empty cache) <= 5 s", cold and f"{cold:.2f} s",
                       cold is not None and cold <= BUDGETS["validate_cold_10000_s"]))
    out.append(_budget("validate 10,000 warm (nothing changed) <= 0.2 x cold", cold and warm and f"{warm:.2f} s = {warm / cold:.2f} x cold",
                       bool(cold and warm and warm / cold <= BUDGETS["validate_warm_over_cold"])))
    out.append(_budget("validate 10,000 with one file changed <= 0.3 x cold",
                       cold and changed and f"{changed:.2f} s = {changed / cold:.2f} x cold",
                       bool(cold and changed and changed / cold <= BUDGETS["validate_one_changed_over_cold"])))
    peaks = [p for p in (t(10000, "validate_cold", "peak_rss_bytes"), t(10000, "validate", "peak_rss_bytes")) if p]
    out.append(_budget("peak memory validating 10,000 < 500 MB", peaks and f"{max(peaks) / 10**6:.0f} MB",
                       bool(peaks) and max(peaks) < BUDGETS["validate_10000_peak_bytes"]))
    by_n = {s["n"]: s for s in serve or []}
    s1, s10, build = by_n.get(1000, {}).get("edit_to_visible_median_s"), by_n.get(10000, {}).get("edit_to_visible_median_s"), t(1000, "build")
    out.append(_budget("serve 1,000: an edit visible within 1.5 s and 0.15 x a full build",
                       s1 and (f"{s1:.2f} s" + (f" = {s1 / build:.2f} x build ({build:.2f} s)" if build else "")),
                       bool(s1 and build and s1 <= BUDGETS["serve_1000_s"] and s1 / build <= BUDGETS["serve_1000_over_build"])))
    out.append(_budget("serve 10,000: an edit visible within 3 s", s10 and f"{s10:.2f} s", bool(s10 and s10 <= BUDGETS["serve_10000_s"])))
    bare = t(1000, "mkdocs_bare")
    ratio = build / bare if build and bare else None
    out.append(_budget("sitegen build at 1,000 <= 1.15 x bare mkdocs build of the same pages", ratio and f"{ratio:.3f} x ({build:.2f} s / {bare:.2f} s)",
                       ratio is not None and ratio <= BUDGETS["build_over_bare_1000"]))
    k = exponent(results, "build", 1000, 5000)
    out.append(_budget("build growth exponent 1,000 -> 5,000 <= 1.1", (k is not None and f"k = {k:.3f}") or None,
                       k is not None and k <= BUDGETS["build_exponent_1000_5000"]))
    visit = results.get(1000, {}).get("site", {}).get("claim_first_visit")
    total = visit and visit["gzip_with_index"]
    out.append(_budget("first visit to a claim page at 1,000 < 300 KiB gzip, search included",
                       visit and f"{total / 1024:.1f} KiB (without the search index {visit['gzip_without_index'] / 1024:.1f} KiB)",
                       total is not None and total < BUDGETS["claim_first_visit_1000_gzip_bytes"]))
    return out


def _fmt_t(timing: dict | None) -> str:
    if not timing:
        return "–"
    return f"{timing['wall_s']:.2f} ({timing['cpu_s']:.2f}) n={timing['runs']}"


def _mib(value: float | None) -> str:
    return "–" if value is None else f"{value / 2**20:.1f}"


def _kib(value: float | None) -> str:
    return "–" if value is None else f"{value / 1024:.1f}"


def _verdict(v: dict[str, object]) -> str:
    if not v["measured"]:
        return "not measured"
    return "pass" if v["pass"] else "**FAIL**"


def markdown(report: dict[str, object]) -> str:
    results = {r["n"]: r for r in report["results"]}  # type: ignore[index]
    head = ("| N | validate s (CPU s) | validate MiB | render s (CPU s) | build s (CPU s) | build MiB | bare mkdocs s (CPU s) | bare MiB "
            "| build / bare | site MiB "
            "| search index MiB | index gzip KiB | claim page gzip KiB | claim first visit gzip KiB (no index / with index) "
            "| home first visit gzip KiB (no index / with index) |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for n, r in results.items():
        tm, site = r["timings"], r.get("site") or {}
        ratio = tm["build"]["wall_s"] / tm["mkdocs_bare"]["wall_s"] if "build" in tm and "mkdocs_bare" in tm else None
        claim, home = site.get("claim_first_visit"), site.get("home_first_visit")
        lines.append(" | ".join([
            f"| {n}", _fmt_t(tm.get("validate")), _mib(tm.get("validate", {}).get("peak_rss_bytes")), _fmt_t(tm.get("render")),
            _fmt_t(tm.get("build")), _mib(tm.get("build", {}).get("peak_rss_bytes")), _fmt_t(tm.get("mkdocs_bare")),
            _mib(tm.get("mkdocs_bare", {}).get("peak_rss_bytes")), f"{ratio:.3f}" if ratio else "–", _mib(site.get("site_bytes")),
            _mib(site.get("search_index_bytes")), _kib(site.get("search_index_gzip")), _kib(site.get("claim_page_html_median_gzip")),
            f"{_kib(claim['gzip_without_index'])} / {_kib(claim['gzip_with_index'])}" if claim else "–",
            f"{_kib(home['gzip_without_index'])} / {_kib(home['gzip_with_index'])}" if home else "–",
        ]) + " |")
    head = "| N | validate, no cache | cold (empty cache) | warm | one file changed | cold MiB | Zensical on the rendered project s (CPU s) | Zensical MiB |"
    lines += ["", head, "|" + "---|" * head.count(" | ") + "---|"]
    for n, r in results.items():
        tm = r["timings"]
        lines.append(" | ".join([f"| {n}", *(_fmt_t(tm.get(k)) for k in ("validate", *VALIDATE_MODES)),
                                 _mib(tm.get("validate_cold", {}).get("peak_rss_bytes")), _fmt_t(tm.get("zensical_bare")),
                                 _mib(tm.get("zensical_bare", {}).get("peak_rss_bytes"))]) + " |")
    sizes = sorted(results)
    lines.append("")
    for key in ("validate", "validate_cold", "build", "mkdocs_bare"):
        ks = [f"{a}→{b}: {k:.2f}" for a, b in itertools.pairwise(sizes) if (k := exponent(results, key, a, b)) is not None]
        if ks:
            lines.append(f"- growth exponent k of {key} (t ∝ N^k): " + ", ".join(ks))
    lines += ["", "| budget | measured | verdict |", "|---|---|---|"]
    lines += [f"| {v['budget']} | {v['measured'] or 'not measured'} | {_verdict(v)} |" for v in report["verdicts"]]  # type: ignore[index]
    serves = report.get("serve") or []
    lines.append("")
    for serve in serves if isinstance(serves, list) else [serves]:
        median = serve["edit_to_visible_median_s"]
        lines.append(f"- sitegen serve at N={serve['n']}: first page after {serve['first_page_s']} s; an edited claim showed on its page "
                     f"after {'–' if median is None else f'{median:.2f}'} s (median of {serve['edit_to_visible_s']})")
    lines.append("")
    lines += [f"- {note}" for note in report["notes"]]  # type: ignore[index]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000,10000", help="claim counts, comma-separated (default: 100,1000,5000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the median is reported (default: 3)")
    parser.add_argument("--large-repeat", type=int, default=1, help="runs of render/build/bare mkdocs from --large-from claims on (default: 1)")
    parser.add_argument("--large-from", type=int, default=5000, help="claim count from which --large-repeat applies (default: 5000)")
    parser.add_argument("--max-build-s", type=float, default=180.0,
                        help="after a full build slower than this, larger sizes run only validate and render (default: 180)")
    parser.add_argument("--serve", default="", metavar="N,N",
                        help="also time 'sitegen serve' at these claim counts: edit a claim, wait until its page shows the change (default: off)")
    parser.add_argument("--build-up-to", type=int, default=0, metavar="N",
                        help="run the full build, bare MkDocs and Zensical only up to this many claims (default: no limit)")
    parser.add_argument("--zensical-up-to", type=int, default=1000, metavar="N",
                        help="build the rendered project with Zensical up to this many claims (its tags plugin needs GiBs beyond; default: 1000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file (default: benchmarks/results/latest.json)")
    parser.add_argument("--report", type=Path, metavar="JSON", help="only print the table of an earlier results file")
    args = parser.parse_args(argv)
    if args.report:
        sys.stdout.write(markdown(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    notes = [(f"gzip sizes use gzip level {GZIP_LEVEL}; times are whole-process wall clock, median of the runs shown as n; "
             "peak memory is the largest maximum resident set size over the runs of that command"),
             ("first visit = page HTML + stylesheets, scripts and icon it references + Material's search worker; "
             "'with index' adds search/search_index.json, which the worker downloads on every first visit"),
             "the machine may be shared: each result records the 1-minute load average before and after its size"]
    results = []
    do_build = True
    fingerprint = sitegen_fingerprint()
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        for n in sizes:
            heavy_repeat = args.large_repeat if n >= args.large_from else args.repeat
            do_build = do_build and (not args.build_up_to or n <= args.build_up_to)
            result = measure_size(n, Path(tmp), repeat=args.repeat, heavy_repeat=heavy_repeat, do_build=do_build,
                                  zensical_up_to=args.zensical_up_to)
            results.append(result)
            build = result["timings"].get("build")
            if do_build and build and build["wall_s"] > args.max_build_s:
                do_build = False
                notes.append(f"full build at N={n} took {build['wall_s']:.0f} s (> {args.max_build_s:.0f} s): larger sizes ran validate and render only")
        serve = [measure_serve(int(n), Path(tmp)) for n in args.serve.split(",") if n.strip()]
    if sitegen_fingerprint() != fingerprint:
        notes.append("the sitegen package changed while the benchmark ran: sizes measured before and after differ in code")
    report = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(),
              "sitegen_fingerprint": fingerprint,
              "settings": {"sizes": sizes, "repeat": args.repeat, "large_repeat": args.large_repeat, "large_from": args.large_from,
                           "gzip_level": GZIP_LEVEL, "topics": TOPICS, "seed": SEED},
              "results": results, "serve": serve, "notes": notes}
    by_n = {r["n"]: r for r in results}
    report["exponents"] = {key: {f"{a}-{b}": exponent(by_n, key, a, b) for a, b in itertools.pairwise(sizes)}
                           for key in ("validate", "validate_cold", "render", "build", "mkdocs_bare")}
    report["verdicts"] = verdicts(by_n, serve)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
