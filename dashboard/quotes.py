"""Quoted passages as HTML: escaped first, then marked.

Data text is never trusted: every piece is passed through `html.escape`
before any tag of ours is put around it, and the result is shown with
`st.html`, which does not read Markdown, so `**`, `$…$` or `:red[…]` in a
quote show as written.
"""

from __future__ import annotations

import html
import re

from dashboard.compare import DiffOp
from dashboard.schema import Observation
from dashboard.text import NUMBER_TOKEN, fold, isolate, parse_number


def bdi(markup: str) -> str:
    """Markup built from data, in `<bdi>`: a U+202E in a title reverses the title, never our date beside it."""
    return f"<bdi>{markup}</bdi>"


def inert(text: str) -> str:
    """A data string as HTML: escaped, then isolated."""
    return bdi(html.escape(text))


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


def mark(text: str, phrases: list[str], tag: str = "mark") -> str:
    """Escaped `text` with each occurrence of each phrase wrapped in `<tag>`."""
    text = fold(text)
    phrases = sorted({fold(p) for p in phrases if p.strip()}, key=len, reverse=True)
    if not phrases:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(p) for p in phrases))
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [html.escape(text[last:match.start()]), f"<{tag}>{html.escape(match.group())}</{tag}>"]
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def mark_spans(text: str, spans) -> str:
    """Escaped `text` with the (start, end) spans marked; overlapping spans are merged."""
    out, last = [], 0
    for start, end in sorted(spans):
        if end <= last:
            continue
        start = max(start, last)
        out += [html.escape(text[last:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def paragraphs_with_passage(seed_text: str, passage: str) -> str:
    """The full report as HTML paragraphs, the passage marked and given an id to scroll to."""
    parts = []
    for paragraph in re.split(r"\n\s*\n", seed_text):
        if paragraph.strip():
            marked = mark(paragraph, [passage])
            parts.append(f"<p>{marked.replace('<mark>', '<mark id=passage>', 1)}</p>")
    return "\n".join(parts)


def diff_html(segments: list[tuple[DiffOp, str]]) -> str:
    tags = {"same": "span", "added": "ins", "dropped": "del"}
    return " ".join(f"<{tags[op]}>{html.escape(text)}</{tags[op]}>" for op, text in segments)


def passage_context(seed_text: str, passage: str, width: int = 500) -> str:
    """The passage marked, with up to `width` characters of the report either side."""
    text, passage = fold(seed_text), fold(passage)
    start = text.find(passage)
    if start < 0:
        return html.escape(passage)
    begin, end = max(0, start - width), min(len(text), start + len(passage) + width)
    before = ("…" if begin else "") + text[begin:start]
    after = text[start + len(passage):end] + ("…" if end < len(text) else "")
    return f"{html.escape(before)}<mark>{html.escape(passage)}</mark>{html.escape(after)}"


# `&` keeps entities literal; `/` breaks up `:material/…:` icon shortcodes.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&/])")


def md_escape(text: str) -> str:
    """For the few Streamlit labels that read Markdown (metric, expander): show data as written, isolated."""
    return isolate(_MARKDOWN_SPECIAL.sub(r"\\\1", fold(text)))
