"""`dashboard draft SOURCE`: every record a new review calls for, drafted for the curator to judge.

Each candidate is shaped like its `data/` counterpart, plus `draft: true` and a `reason` saying how it was
found. Quotes are cut from the review's own text (NFC, white space folded), so they are verbatim by
construction; values, qualifiers and units are read by the same text rules the load checks them with.
What stays the curator's: labels, translations, which sector, and deleting what is not a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml
from pydantic import ValidationError

from dashboard.core.data import Dataset
from dashboard.core.i18n import t
from dashboard.core.languages import translated, translation_languages
from dashboard.core.schema import Observation, nearest_cue, states_year
from dashboard.core.search import paragraph_spans, sentence_spans
from dashboard.core.text_rules import (
    NUMBER_TOKEN,
    NUMBER_WORDS,
    SCALE_OF_WORD,
    SCALED,
    ascii_fold,
    find_phrase,
    fold,
    parse_number,
    scaled_value,
)
from dashboard.curate import coverage
from dashboard.curate.terms import STOP_PAIRS, STOP_WORDS, Vocabulary, key_terms

DRAFTS = "drafts"  # drafts/<source>/ beside data/: never inside it
FILES = ("indicators.yaml", "observations.yaml", "statements.yaml", "plans.yaml")

RANK_WORDS = re.compile(r"(?<!\w)(?:hạng|thứ|xếp)(?!\w)", re.IGNORECASE)
TARGET_WORDS = re.compile(r"(?<!\w)(?:mục tiêu|chỉ tiêu|phấn đấu|nhiệm vụ[^.]*năm \d{4}[^.:]*là:)", re.IGNORECASE)
ESTIMATE_WORD = re.compile(r"(?<!\w)ước(?!\w)", re.IGNORECASE)
YEAR_NAMED = re.compile(r"(?<!so với )năm (\d{4})", re.IGNORECASE)
# Where a review sets tasks: "các nhiệm vụ trọng tâm năm 2026 là: …", and requests ("đề nghị", "cần", "yêu cầu").
TASK_LIST = re.compile(r"nhiệm vụ[^.:]*?năm (\d{4})[^.:]*?là:\s*", re.IGNORECASE)
TASK_REQUEST = re.compile(r"(?<!\w)(?:đề nghị|yêu cầu|cần)(?!\w)", re.IGNORECASE)
# Where a comma parts two tasks: before a verb that opens one ("…, phổ cập …, phát triển …").
TASK_VERB = (r"(?:phổ cập|phát triển|ứng dụng|đẩy mạnh|tăng cường|triển khai|nâng cao|hoàn thành|thực hiện|chuẩn bị|"
             r"xây dựng|giữ vững|tiếp tục|luôn|tập trung)(?!\w)")
TASK_START = re.compile(r",\s+(?=" + TASK_VERB + ")", re.IGNORECASE)
CLAUSE_END = re.compile(r"[,;:](?=\s)|[.!?…](?=\s|$)")
MIN_QUOTE_WORDS = 5  # a clause shorter than this ("10 Quyết định") is widened to its neighbours


@dataclass
class Drafts:
    source: str
    indicators: list[dict] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    plans: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # numbers not drafted, and why

    def files(self) -> dict[str, list[dict]]:
        return {"indicators.yaml": self.indicators, "observations.yaml": self.observations,
                "statements.yaml": self.statements, "plans.yaml": self.plans}


def words_of(text: str) -> list[str]:
    """The content words of `text`, folded, in order."""
    return [w for w in re.findall(r"\w+", ascii_fold(text)) if w not in STOP_WORDS and not w.isdigit()]


def slug(text: str, limit: int = 5) -> str:
    return "-".join(words_of(text)[:limit]) or "figure"


def _unique(wanted: str, taken: set[str]) -> str:
    found, n = wanted, 2
    while found in taken:
        found, n = f"{wanted}-{n}", n + 1
    taken.add(found)
    return found


def sentences(ds: Dataset, source_id: str, whole: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence of the review as search reads them (a `;` ends one), or, `whole`,
    as the review writes them: a list of tasks after "là:" runs on through its semicolons."""
    text = ds.seed_texts[source_id]
    spans = [(s, e) for s, e in sentence_spans(ds, source_id) if text[s:e].strip()]
    if whole:
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and text[merged[-1][0]:merged[-1][1]].rstrip().endswith(";"):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        spans = merged
    return [(s, e, text[s:e].strip()) for s, e in spans]


def clause_around(text: str, start: int, end: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """(start, end) of the shortest clause of `text` holding text[start:end], inside the sentence `bounds`,
    widened clause by clause until it has MIN_QUOTE_WORDS words."""
    lo, hi = bounds
    breaks = [(m.start(), m.end()) for m in CLAUSE_END.finditer(text, lo, hi)]
    left = max((b_end for b_start, b_end in breaks if b_end <= start), default=lo)
    right = min((b_start for b_start, _ in breaks if b_start >= end), default=hi)
    while len(text[left:right].split()) < MIN_QUOTE_WORDS and (left > lo or right < hi):
        if left > lo:
            left = max((b_end for b_start, b_end in breaks if b_end < left - 1), default=lo)
        else:
            right = min((b_start for b_start, _ in breaks if b_start > right), default=hi)
    while left < right and text[left] == " ":
        left += 1
    return left, right


def sector_words(ds: Dataset) -> dict[str, list[str]]:
    """Each sector's words: its search terms and the parts of its Vietnamese name."""
    return {s.id: list(s.search_terms) + [p.strip() for p in re.split(r"[,;]", translated(s.name, "vi")) if p.strip()]
            for s in ds.sectors.values()}


def suggest_sector(ds: Dataset, text: str) -> tuple[str | None, list[str]]:
    """The sector whose words the text holds most of, and those words; (None, []) when none occurs."""
    best, best_words, best_score = None, [], 0
    for sector, terms in sector_words(ds).items():
        found = [t for t in terms if find_phrase(text, t) is not None]
        score = sum(len(t.split()) for t in found)  # "truyền thông chính sách" says more than "truyền thông"
        if score > best_score:
            best, best_words, best_score = sector, found, score
    return best, best_words


def _span_at(text: str, spans: list[tuple[int, int]], at: int, default: str) -> str:
    """The text of the span (a paragraph) holding offset `at`, or `default`."""
    return next((text[a:b] for a, b in spans if a <= at < b), default)


def suggest_sector_in(ds: Dataset, places: list[tuple[str, str]]) -> tuple[str | None, str]:
    """The sector whose words stand in the first of `places` ((name, text): the clause, then its sentence, then
    its paragraph) that holds any, and the reason saying which words where; None, and a reason saying so,
    where none holds a sector's words: the curator chooses, never a default sector."""
    for where, text in places:
        sector, found = suggest_sector(ds, text)
        if sector is not None:
            return sector, f"sector from the words {', '.join(found)} in its {where}"
    searched = ", ".join(where for where, _ in places)
    return None, f"no sector: no sector's words (search terms, names) in its {searched}; choose one"


class Reading(NamedTuple):
    """A figure as the draft reads it from the text: the fields of its candidate observation."""

    value: float
    denominator: float | None
    as_written: str
    unit: str
    scale: str | None = None
    upper: float | None = None


def _read_figure(text: str, match_start: int, token: str, clause: str) -> Reading:
    """The mention `token` at `match_start` in `text`, read as the report writes it."""
    after = text[match_start + len(token):]
    if token.lower() in NUMBER_WORDS:
        value = float(NUMBER_WORDS[token.lower()])
        if times := re.match(r"\s+lần(?!\w)", after):  # "ba lần"
            return Reading(value, None, token + times.group(), "times")
        if text[:match_start].rstrip().lower().endswith("gấp"):  # "gấp đôi": twice
            return Reading(value, None, text[text.rindex("gấp", 0, match_start):match_start] + token, "times")
        following = re.match(r"\s+\w+", after)  # "ba tổ chức": what it counts
        return Reading(value, None, token + (following.group() if following else ""), "count")
    if "/" in token:
        value, denominator = (parse_number(part) for part in token.split("/")[:2])
        return Reading(value, denominator, token, "rank" if RANK_WORDS.search(clause) else "count")
    value = parse_number(token.rstrip("%"))
    if token.endswith("%"):
        per_year = after.startswith("/năm")
        return Reading(value, None, token + ("/năm" if per_year else ""),
                       "percent_per_year" if per_year else "percent")
    scaled = SCALED.match(text, match_start)
    if scaled:  # "25 triệu": the whole amount, with its scale, so every language words it as written
        return Reading(scaled_value(scaled), None, scaled.group(), "count", SCALE_OF_WORD[scaled.group(2).lower()].id)
    times = re.match(r"\s+lần(?!\w)", after)
    return Reading(value, None, token + (times.group() if times else ""), "times" if times else "count")


# A range: "từ 20% đến 22%", "20-22%", "từ 1,5 đến 2 triệu": two numbers joined by a dash or "đến"/"tới", each
# with what may follow it (a percent, a scale word), "lần" after the upper.
_BOUND = rf"({NUMBER_TOKEN.pattern})(%(?:/năm)?|\s+(?:{'|'.join(SCALE_OF_WORD)})(?!\w))?"
RANGE = re.compile(_BOUND + r"\s*(?:[-–]|\s(?:đến|tới)\s)\s*" + _BOUND + r"(\s+lần(?!\w))?", re.IGNORECASE)
YEAR = re.compile(r"(?:19|20)\d\d")
UNIT_OF_MARK = {"%": "percent", "%/năm": "percent_per_year", "lần": "times"}


def _read_range(text: str, match_start: int) -> tuple[Reading, int] | None:
    """The range starting at `match_start` (with its "từ" before it), and where it ends; None where the numbers
    there are no range: a span of years ("2021-2025"), bounds in different units or scales, or not rising."""
    found = RANGE.match(text, match_start)
    if found is None:
        return None
    low, low_mark, high, high_mark, times = found.groups()
    marks = [" ".join(mark.split()).lower() if mark else "" for mark in (low_mark, high_mark)]
    if (YEAR.fullmatch(low) and YEAR.fullmatch(high)) or (marks[0] and marks[0] != marks[1]):
        return None
    mark = "lần" if times else marks[1]
    scale = SCALE_OF_WORD.get(mark)
    factor = scale.factor if scale else 1
    value, upper = parse_number(low) * factor, parse_number(high) * factor
    if upper <= value:
        return None
    opens = re.search(r"(?<!\w)từ\s$", text[max(match_start - 4, 0):match_start], re.IGNORECASE)
    start = match_start - len(opens.group()) if opens else match_start
    unit = UNIT_OF_MARK.get(mark, "count")
    return Reading(value, None, text[start:found.end()], unit, scale.id if scale else None, upper), found.end()


def _suggest_indicator(ds: Dataset, clause: str, sentence: str, near: str,
                       unit: str) -> tuple[str | None, list[str]]:
    """An existing indicator of this unit whose label's words stand in the clause (half of them at least) or
    in its sentence (three quarters); between equals, the one naming the words next to the figure."""
    in_clause, in_sentence, beside = set(words_of(clause)), set(words_of(sentence)), set(words_of(near))
    best, best_score, best_words = None, 0.0, []
    for ind in ds.indicators.values():
        label = set(words_of(translated(ind.label, "vi")))
        if ind.unit != unit or not label:
            continue
        clause_share, sentence_share = len(label & in_clause) / len(label), len(label & in_sentence) / len(label)
        if clause_share < 0.5 and sentence_share < 0.75:
            continue
        score = clause_share + sentence_share / 2 + len(label & beside) / 4
        if score > best_score:
            best, best_score, best_words = ind.id, score, sorted(label & in_sentence)
    return best, best_words


def _year_and_kind(sentence: str, clause: str, reviewed: int) -> tuple[int, str, list[str]]:
    notes = []
    later = [int(y) for y in YEAR_NAMED.findall(sentence) if int(y) > reviewed]
    named = [int(y) for y in YEAR_NAMED.findall(clause)]
    if TARGET_WORDS.search(sentence) or later:
        notes.append("the sentence sets a target (" + (f"for {max(later)}" if later else "a goal") + ")")
        return (max(later) if later else reviewed + 1), "target", notes
    kind = "estimate" if ESTIMATE_WORD.search(clause) else "actual"
    if kind == "estimate":
        notes.append("an estimate: the clause says “ước”")
    if named:
        notes.append(f"the clause names the year {named[-1]}")
        return named[-1], kind, notes
    return reviewed, kind, notes


def draft_figures(ds: Dataset, source_id: str, drafts: Drafts, taken_ids: set[str]) -> None:
    text, source = ds.seed_texts[source_id], ds.sources[source_id]
    spans = sentences(ds, source_id, whole=True)
    paragraphs = paragraph_spans(ds, source_id)
    other = {lang: "" for lang in translation_languages(ds.languages)}
    keys = set(ds.observations_by_key)
    read_to = 0  # the end of the last range read: the upper bound's own mention is part of it
    for mention in coverage.mentions(ds, source_id):
        if mention.status != "missing" or mention.start < read_to:
            continue
        token = mention.text
        if not re.search(r"\d", token) and token.lower() not in NUMBER_WORDS:
            drafts.skipped.append(f"{token}: a Roman ordinal («{mention.sentence[:80]}»)")
            continue
        if ":" in token:
            drafts.skipped.append(f"{token}: a time of day («{mention.sentence[:80]}»)")
            continue
        bounds = next(((s, e) for s, e, _ in spans if s <= mention.start < e), (0, len(text)))
        sentence = text[bounds[0]:bounds[1]].strip()
        ranged = _read_range(text, mention.start) if "/" not in token else None
        if ranged is not None:
            reading, read_to = ranged
            at = read_to - len(reading.as_written)
        else:
            reading, at = _read_figure(text, mention.start, token, sentence), mention.start
        q_start, q_end = clause_around(text, at, at + len(reading.as_written), bounds)
        quote = text[q_start:q_end]
        cue = nearest_cue(quote, at - q_start)
        year, kind, notes = _year_and_kind(sentence, quote, source.reviewed_year)
        unit = reading.unit
        # What a figure counts follows it ("10 Quyết định"); a share or a rank follows what it measures.
        near = (" ".join(text[at + len(reading.as_written):].split()[:2]) if unit in ("count", "times")
                else " ".join(text[:at].split()[-3:]))
        indicator, shared = _suggest_indicator(ds, quote, sentence, near, unit)
        read_as = (f"{reading.value:g} to {reading.upper:g} (a range)" if reading.upper is not None
                   else f"{reading.value:g}" + (f"/{reading.denominator:g}" if reading.denominator else ""))
        found_as = reading.as_written if ranged else token  # a range as a whole, else the number coverage found
        reason = [f"“{found_as}” in “{quote}”",
                  f"read as {read_as}, {unit}" + (f", scale {reading.scale}" if reading.scale else ""),
                  f"qualifier from “{cue[1]}”" if cue else "no qualifying word before it"]
        if indicator is None:
            indicator = _unique(slug(quote), taken_ids)
            paragraph = _span_at(text, paragraphs, at, sentence)
            sector, why = suggest_sector_in(ds, [("clause", quote), ("sentence", sentence), ("paragraph", paragraph)])
            drafts.indicators.append({
                "draft": True, "reason": f"a new measure for “{found_as}”; {why}",
                "id": indicator, "sector": sector,
                "label": {lang: (quote if lang == "vi" else "") for lang in ds.languages},
                "unit": unit, "better": "neutral",
            })
            reason.append("a new indicator")
        else:
            reason.append(f"indicator {indicator}: its label's words {', '.join(shared)} stand in the sentence")
        key = f"{indicator} {year} {kind}"
        if key in keys:
            reason.append(f"the data already has a figure {key}: keep one")
        keys.add(key)
        record = {"draft": True, "reason": "; ".join(reason + notes), "indicator": indicator, "year": year,
                  "value": _plain(reading.value),
                  **({"upper": _plain(reading.upper)} if reading.upper is not None else {}),
                  **({"denominator": _plain(reading.denominator)} if reading.denominator else {}),
                  **({"scale": reading.scale} if reading.scale else {}), "kind": kind,
                  "qualifier": cue[0] if cue else "exact", "as_written": reading.as_written, "source": source_id,
                  "quote": quote, "translation": dict(other)}
        if not states_year(quote, year):  # the load asks for one; the curator checks what the draft says
            record["year_note"] = {lang: t("draft_year_note", lang, year=year) for lang in ds.languages}
        _note_schema_problems(record, other)
        drafts.observations.append(record)


def _plain(number: float) -> int | float:
    """2000, not 2000.0, as the data files write a whole number."""
    return int(number) if number == int(number) else number


def _note_schema_problems(record: dict, other: dict[str, str]) -> None:
    """Say in the reason what the schema would refuse in the candidate as drafted (translations aside)."""
    checked = {k: v for k, v in record.items() if k not in ("draft", "reason")}
    checked["translation"] = {lang: "-" for lang in other}
    try:
        Observation.model_validate(checked)
    except ValidationError as exc:
        record["reason"] += "; CHECK: " + "; ".join(str(e.get("ctx", {}).get("error", e["msg"])) for e in exc.errors())


def _task_quotes(sentence: str) -> list[tuple[str, int | None]]:
    """The tasks a sentence sets, each with the year it names (None: the next year): one per item of its list
    (after "là:" or "như:"), items parted by ";" or by "," before a verb that starts a task."""
    listed = TASK_LIST.search(sentence)
    request = TASK_REQUEST.search(sentence)
    if listed:
        rest, year = sentence[listed.end():], int(listed.group(1))
    elif request:
        rest, year = sentence[request.end():], None
        if ":" in rest:
            rest = rest[rest.index(":") + 1:]
        elif request.group().lower() == "cần":  # "X cần …": who must act is part of the task
            rest = sentence[max((m.end() for m in CLAUSE_END.finditer(sentence, 0, request.start())), default=0):]
        elif verb := re.search(TASK_VERB, rest, re.IGNORECASE):  # "đề nghị <whom> <task>": the task only
            rest = rest[verb.start():]
    else:
        return []
    # "trợ lý ảo… Đây là …", "giám sát...": an ellipsis ends the list, and the last task keeps it, as the
    # curated data quotes it: the list is open.
    ellipsis = re.search(r"…|\.\.\.", rest)
    rest = rest[:ellipsis.start()] if ellipsis else rest
    items = [piece for item in re.split(r";\s*", rest.strip().rstrip(" .")) for piece in TASK_START.split(item)]
    tasks = [item.strip(" ,") for item in items if len(item.split()) >= 3]
    if ellipsis and tasks and rest.endswith(tasks[-1]):
        tasks[-1] += ellipsis.group()
    return [(task, year) for task in tasks]


def draft_plans(ds: Dataset, source_id: str, drafts: Drafts, taken_ids: set[str]) -> set[str]:
    """New tasks the review sets; returns the sentences that hold them."""
    reviewed = ds.sources[source_id].reviewed_year
    other = {lang: "" for lang in translation_languages(ds.languages)}
    holding = set()
    text, paragraphs = ds.seed_texts[source_id], paragraph_spans(ds, source_id)
    for start, _, sentence in sentences(ds, source_id, whole=True):
        paragraph = _span_at(text, paragraphs, start, sentence)
        for quote, year in _task_quotes(sentence):
            for_year = year if year and year > reviewed else reviewed + 1
            sector, why = suggest_sector_in(ds, [("task", quote), ("sentence", sentence), ("paragraph", paragraph)])
            holding.add(sentence)
            drafts.plans.append({
                "draft": True,
                "reason": f"a task for {for_year} in “{sentence[:120]}”; {why}",
                "id": _unique(f"{slug(quote, 4)}-{for_year}", taken_ids),
                "sector": sector, "source": source_id, "for_year": for_year,
                "quote": quote, "translation": dict(other), "status": "awaiting",
            })
    return holding


def word_pairs(text: str) -> set[str]:
    """Adjacent syllables, folded, but pairs of function words: Vietnamese words are mostly two syllables
    ("hạ tầng", "giám sát"), so a shared pair means a shared word far more often than a shared syllable."""
    return {ascii_fold(pair) for pair in _pairs(text)}


def _pairs(text: str) -> list[str]:
    """Adjacent syllables as written, but those holding a function word, a number, or a stock phrase."""
    syllables = re.findall(r"\w+", fold(text))
    pairs = []
    for a, b in zip(syllables, syllables[1:], strict=False):
        pair = f"{a} {b}"
        if (ascii_fold(a.lower()) in STOP_WORDS or ascii_fold(b.lower()) in STOP_WORDS or a.isdigit() or b.isdigit()
                or ascii_fold(pair.lower()) in STOP_PAIRS):
            continue
        pairs.append(pair)
    return pairs


def answering_span(text: str, bounds: tuple[int, int], task: set[str]) -> str:
    """The clauses of the sentence at `bounds`, from the first to the last holding a pair of the task's words."""
    lo, hi = bounds
    cuts = [lo] + [m.end() for m in CLAUSE_END.finditer(text, lo, hi)] + [hi]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]
    holding = [i for i, (a, b) in enumerate(clauses) if task & word_pairs(text[a:b])]
    if not holding:
        return text[lo:hi].strip()
    first, last = holding[0], holding[-1]
    while len(text[clauses[first][0]:clauses[last][1]].split()) < MIN_ANSWER_WORDS and last + 1 < len(clauses):
        last += 1  # a bare "hạ tầng số" answers nothing: what the review says of it follows
    return text[clauses[first][0]:clauses[last][1]].strip().rstrip(",;:.")


MIN_ANSWER_WORDS = 8
MIN_SHARED_PAIRS = 2  # fewer is chance: one shared pair ("phát triển") answers nothing


def draft_outcomes(ds: Dataset, source_id: str, drafts: Drafts) -> None:
    """For each task awaiting this review: the passage that best answers it, a figure, or not mentioned."""
    reviewed = ds.sources[source_id].reviewed_year
    text = ds.seed_texts[source_id]
    other = {lang: "" for lang in translation_languages(ds.languages)}
    found_sentences = sentences(ds, source_id)
    # The words the reviews use: the data's search terms, and the reviews' own words.
    vocabulary = Vocabulary([term for record in (*ds.plans, *ds.sectors.values()) for term in record.search_terms],
                            ds.seed_texts.values())
    for plan in ds.plans:
        if plan.status != "awaiting" or plan.for_year != reviewed or plan.source == source_id:
            continue
        task = word_pairs(plan.quote)
        score, lo, hi = max(((len(task & word_pairs(s)), a, b) for a, b, s in found_sentences),
                            key=lambda found: found[0], default=(0, 0, 0))
        record = plan.model_dump(exclude_defaults=True)
        record.pop("status", None)
        passage = answering_span(text, (lo, hi), task)
        shared = ", ".join(sorted(task & word_pairs(passage)))
        figures = [f"{o['indicator']} {o['year']} {o['kind']}" for o in drafts.observations
                   if fold(o["quote"]) in passage or passage in fold(o["quote"])]
        if score >= MIN_SHARED_PAIRS and figures:
            outcome = {"status": "figure", "outcome_observations": figures,
                       "reason": f"a suggestion: the passage sharing its words ({shared}) gives figures: “{passage}”"}
        elif score >= MIN_SHARED_PAIRS:
            outcome = {"status": "words", "outcome_quote": passage, "outcome_translation": dict(other),
                       "reason": f"a suggestion: the passage sharing most of its words ({shared})"}
        else:
            terms = key_terms(plan.quote, vocabulary) + list(ds.sectors[plan.sector].search_terms)
            searched = search_review(text, terms)
            absent = [term for term, found in searched.items() if found is None]
            present = [f"{term} («{found[:100]}»)" for term, found in searched.items() if found is not None]
            outcome = {"status": "not_mentioned", "search_terms": absent,
                       "searched": {term: found or "not found" for term, found in searched.items()},
                       "reason": f"searched the review for the task's key words and its sector's search terms: "
                                 f"{', '.join(absent) or 'none'} not found"
                                 + (f"; found {'; '.join(present)}: judge whether these speak of the task"
                                    if present else "")
                                 + (f"; at most one of its words ({shared}) shares a sentence" if shared else "")}
        drafts.plans.append({"draft": True, "reason": outcome.pop("reason"), **record, **outcome})


def search_review(text: str, terms: list[str]) -> dict[str, str | None]:
    """Each term (once, in order) and the sentence of the review holding it as whole words, or None: the search
    the load repeats for a `not_mentioned` outcome, recorded so the curator can check it."""
    return {term: find_phrase(text, term) for term in dict.fromkeys(terms)}


def draft_statements(ds: Dataset, source_id: str, drafts: Drafts, skip: set[str], taken_ids: set[str]) -> None:
    """Each sentence that speaks of a sector (its words stand in it) and sets no task, as a passage."""
    reviewed = ds.sources[source_id].reviewed_year
    other = {lang: "" for lang in translation_languages(ds.languages)}
    for _, _, sentence in sentences(ds, source_id, whole=True):
        sector, found = suggest_sector(ds, sentence)
        if sector is None or sentence in skip:
            continue
        drafts.statements.append({
            "draft": True, "reason": f"speaks of {sector}: {', '.join(found)}",
            "id": _unique(f"{sector}-{reviewed}", taken_ids), "sector": sector, "source": source_id,
            "quote": sentence, "translation": dict(other),
        })


def draft(ds: Dataset, source_id: str) -> Drafts:
    drafts = Drafts(source_id)
    taken = {*ds.indicators, *(s.id for s in ds.statements), *(p.id for p in ds.plans)}
    draft_figures(ds, source_id, drafts, taken)
    draft_outcomes(ds, source_id, drafts)
    holding = draft_plans(ds, source_id, drafts, taken)
    draft_statements(ds, source_id, drafts, holding, taken)
    return drafts


def silent_sectors(ds: Dataset, drafts: Drafts) -> list[str]:
    """Sectors no candidate speaks of: each needs search terms none of which the review holds."""
    spoken = {r["sector"] for r in drafts.statements + drafts.plans + drafts.indicators if "sector" in r}
    spoken |= {ds.indicators[o["indicator"]].sector for o in drafts.observations if o["indicator"] in ds.indicators}
    return [s for s in ds.sectors if s not in spoken]


class DraftsExist(FileExistsError):
    """The drafts folder holds the curator's work already: it is never overwritten."""


def write_drafts(drafts: Drafts, folder: Path) -> list[Path]:
    """Write each non-empty file of `drafts` into `folder` (created); never over an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    if any((folder / name).exists() for name in FILES):
        raise DraftsExist(f"{folder} holds drafts already: judge and accept them (--accept), or delete them first")
    written = []
    for name, records in drafts.files().items():
        if records:
            (folder / name).write_text(HEADER + yaml.safe_dump(records, allow_unicode=True, sort_keys=False,
                                                               width=1000), encoding="utf-8")
            written.append(folder / name)
    return written


HEADER = ("# Candidates drafted by `dashboard draft`: judge each (its `reason` says how it was found), fix it,\n"
          "# delete what is not a record, then `dashboard draft SOURCE --accept` moves what is left into data/.\n")
