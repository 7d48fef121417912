"""Quoted passages as HTML: escaped first, then marked.

Data text is never trusted: every piece is escaped before any tag of ours is
put around it, and the result is `Markup`, so a template embeds it as it is
and escapes anything else. It is shown with `st.html`, which does not read
Markdown, so `**`, `$…$` or `:red[…]` in a quote show as written.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from dashboard.core.compare import DiffOp
from dashboard.core.i18n import REPORTS_LANG
from dashboard.core.schema import Observation
from dashboard.core.text_rules import NUMBER_TOKEN, fold, isolate, parse_number, split_at_spans


def inert(text: str) -> Markup:
    """A data string as HTML, escaped and in `<bdi>`: a U+202E in a title reverses the title, never our
    date beside it."""
    return Markup("<bdi>{}</bdi>").format(text)


def figures_as_written(obs: Observation) -> list[str]:
    """The exact text in the quote that states this observation's figure(s)."""
    quote = fold(obs.quote)
    if obs.as_written:
        return [fold(obs.as_written)]
    tokens = [m.group() for m in NUMBER_TOKEN.finditer(quote)]
    if obs.kind == "derived" and obs.formula:
        operands = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", obs.formula)}
        return [tok for tok in tokens if parse_number(tok) in operands]
    if obs.denominator:
        return [f"{tok}/{obs.denominator:g}" for tok in tokens if parse_number(tok) == obs.value][:1]
    return [tok for tok in tokens if parse_number(tok) == obs.value][:1]


MARKED = Markup("<mark>{}</mark>")
QUOTED = re.compile(r"“[^”]+”")
IN_REPORTS_LANG = Markup("<span lang={}>{}</span>")


def report_words_marked(text: str) -> Markup:
    """A note of ours, escaped, with the report's words it quotes (“…”) marked as the reports' language:
    a screen reader then reads them as Vietnamese (WCAG 3.1.2), and no figure in them reads as ours."""
    out, last = [], 0
    for found in QUOTED.finditer(text):
        out += [escape(text[last:found.start()]), IN_REPORTS_LANG.format(REPORTS_LANG, found.group())]
        last = found.end()
    return Markup("").join([*out, escape(text[last:])])
MARKED_WITH_ID = Markup("<mark id={}>{}</mark>")


def mark(text: str, phrases: list[str], first_id: str | None = None) -> Markup:
    """Escaped `text` with each occurrence of each phrase in `<mark>`, the first given `first_id`."""
    text = fold(text)
    phrases = sorted({fold(p) for p in phrases if p.strip()}, key=len, reverse=True)
    if not phrases:
        return escape(text)
    pattern = re.compile("|".join(re.escape(p) for p in phrases))
    out, last = [], 0
    for match in pattern.finditer(text):
        found = match.group()
        marked = MARKED_WITH_ID.format(first_id, found) if first_id and not out else MARKED.format(found)
        out += [escape(text[last:match.start()]), marked]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup().join(out)


def mark_spans(text: str, spans) -> Markup:
    """Escaped `text` with the (start, end) spans marked; overlapping spans are merged."""
    return Markup().join(MARKED.format(piece) if marked else escape(piece)
                         for piece, marked in split_at_spans(text, spans))


def paragraphs_with_passage(seed_text: str, passage: str) -> Markup:
    """The full report as HTML paragraphs, the passage marked and given an id to scroll to."""
    parts = []
    for paragraph in re.split(r"\n\s*\n", seed_text):
        if paragraph.strip():
            parts.append(Markup("<p>{}</p>").format(mark(paragraph, [passage], first_id="passage")))
    return Markup("\n").join(parts)


DIFF_TAGS: dict[DiffOp, Markup] = {
    "same": Markup("<span>{}</span>"), "added": Markup("<ins>{}</ins>"), "dropped": Markup("<del>{}</del>"),
}


def diff_html(segments: list[tuple[DiffOp, str]]) -> Markup:
    return Markup(" ").join(DIFF_TAGS[op].format(text) for op, text in segments)


def passage_context(seed_text: str, passage: str, width: int = 500) -> Markup:
    """The passage marked, with up to `width` characters of the report either side."""
    text, passage = fold(seed_text), fold(passage)
    start = text.find(passage)
    if start < 0:
        return escape(passage)
    begin, end = max(0, start - width), min(len(text), start + len(passage) + width)
    before = ("…" if begin else "") + text[begin:start]
    after = text[start + len(passage):end] + ("…" if end < len(text) else "")
    return escape(before) + MARKED.format(passage) + escape(after)


# `&` keeps entities literal; `/` breaks up `:material/…:` icon shortcodes.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&/])")


def md_escape(text: str) -> str:
    """For the few Streamlit labels that read Markdown (metric, expander): show data as written, isolated."""
    return isolate(_MARKDOWN_SPECIAL.sub(r"\\\1", fold(text)))
