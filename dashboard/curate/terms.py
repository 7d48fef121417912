"""The words of a task, for the draft's suggestions: which words say nothing of it, and its key words, searched
for in the next review before the draft calls the task not mentioned (`dashboard draft`).

Vietnamese writes a word as one to four syllables with spaces between them ("trí tuệ nhân tạo"), so where one
word ends is not written: it is read here from the reviews themselves. A run of syllables is cut into the words
the reviews (or the data's search terms) use elsewhere, and what is left into two-syllable words, a Vietnamese
word's usual length. A segmenter trained for it (pyvi, underthesea) would cut better, at the cost of
scikit-learn or a neural model in the curator's install for a suggestion the curator checks term by term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashboard.core.schema import QUALIFIER_CUES
from dashboard.core.text_rules import ascii_fold, fold

# Function words alone (as written, lower case) part a task's key words: "trợ lý ảo" | và | "trí tuệ nhân tạo".
FUNCTION_WORDS = frozenset((
    "và của các những có là được cho với trong để đã đang sẽ này đó một nhiều mọi từ theo tại về trên hơn "
    "cũng như khi thì mà đến nên cả lại vào ra luôn rất mỗi"
).split())
# Function words and the words of the ministry and its reports, folded (no diacritics): they say nothing of
# what a sentence is about. And the words of every task and report ("công tác", "nhiệm vụ"), which tell one task
# from another no more than "và" does.
STOP_WORDS = frozenset(ascii_fold(w) for w in (*FUNCTION_WORDS, *"tốt cao năm ngành bộ tt đảng ủy".split()))
STOP_PAIRS = frozenset(ascii_fold(w) for w in (
    "công tác", "nhiệm vụ", "thực hiện", "triển khai", "đẩy mạnh", "tăng cường", "tiếp tục", "đảng ủy",
    "đảng bộ", "cán bộ", "đảng viên", "hội nghị", "kết quả", "quan trọng", "phát triển",
))
# Never a key word: the words of every task, and the qualifying words ("ít nhất"), which belong to a figure.
LEFT_OUT = STOP_PAIRS | {ascii_fold(cue) for cues in QUALIFIER_CUES.values() for cue in cues}
LONGEST_WORD = 4  # syllables: "trí tuệ nhân tạo", "Hồ Chí Minh"


def folded(term: str) -> str:
    return ascii_fold(" ".join(term.lower().split()))


class Vocabulary:
    """The words the reviews use: the data's search terms, and any run of syllables that stands as whole words
    in a review outside the task being read."""

    def __init__(self, known: Iterable[str], texts: Iterable[str]):
        self.known = {folded(term) for term in known}
        self.corpus = folded(fold(" ".join(texts)))

    def attested(self, word: str, quote: str) -> bool:
        """Whether `word` is a word of the reviews: known, or standing more often in them than in `quote`."""
        key = folded(word)
        if key in self.known:
            return True
        pattern = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
        return len(pattern.findall(self.corpus)) > len(pattern.findall(folded(quote)))


def key_terms(quote: str, vocabulary: Vocabulary) -> list[str]:
    """The task's key words as the quote writes them: each run of words between punctuation, brackets, numbers and
    function words ("ứng dụng mạnh mẽ trí tuệ nhân tạo (AI) và trợ lý ảo"), cut into its names (capitalised
    syllables together: "Hồ Chí Minh", "AI") and the words the reviews use elsewhere, as many syllables as they
    can cover in as few words; what is left read as two-syllable words left to right, a last lone syllable
    joining the word before ("trợ lý ảo"). The words in `LEFT_OUT` are none."""
    terms = []
    for run in _content_runs(quote):
        terms += [" ".join(word) for word in _words(run, quote, vocabulary)]
    return list(dict.fromkeys(term for term in terms if folded(term) not in LEFT_OUT))


def _words(run: list[str], quote: str, vocabulary: Vocabulary) -> list[list[str]]:
    """`run` cut into words: the cut covering most syllables with names and attested words, in the fewest of
    them (dynamic programming from the run's end), the syllables between them in two-syllable words."""
    size = len(run)
    # best[i]: (syllables covered, -words) of the best cut of run[i:], and the length of its first word (0: skip)
    best: list[tuple[tuple[int, int], int]] = [((0, 0), 0)] * (size + 1)
    for i in range(size - 1, -1, -1):
        best[i] = (best[i + 1][0], 0)
        for n in _candidates(run, i, quote, vocabulary):
            covered, words = best[i + n][0]
            score = (covered + n, words - 1)
            if score > best[i][0]:
                best[i] = (score, n)
    words, gap, i = [], [], 0
    while i < size:
        n = best[i][1]
        if n == 0:
            gap.append(run[i])
            i += 1
            continue
        words += _pairs(gap) + [run[i:i + n]]
        gap, i = [], i + n
    return words + _pairs(gap)


def _candidates(run: list[str], i: int, quote: str, vocabulary: Vocabulary) -> list[int]:
    """The lengths of the words `run[i:]` may start with: a name there, and the attested words."""
    name = _name_length(run, i)
    lengths = [name] if name else []
    return lengths + [n for n in range(2, min(LONGEST_WORD, len(run) - i) + 1)
                      if folded(" ".join(run[i:i + n])) in LEFT_OUT  # a word, though never a key word
                      or (not _of_left_out(run[i:i + n]) and vocabulary.attested(" ".join(run[i:i + n]), quote))]


def _of_left_out(word: list[str]) -> bool:
    """Whether the syllables open or close with a word of `LEFT_OUT` beside a word of two syllables or more
    ("tăng cường công tác", "thực hiện đầy đủ"): two words the reviews write side by side often, not one.
    "Đảng ủy Khối" is one: a single syllable does not stand as a word."""
    return any(folded(" ".join(part)) in LEFT_OUT and len(word) - len(part) >= 2
               for n in range(2, len(word) - 1) for part in (word[:n], word[-n:]))


def _name_length(run: list[str], i: int) -> int:
    """How many capitalised syllables from `run[i]` on, where two or more ("Hồ Chí Minh") or one written all in
    capitals ("AI"); else none."""
    end = i
    while end < len(run) and run[end][0].isupper():
        end += 1
    return end - i if end - i > 1 or (end - i == 1 and len(run[i]) > 1 and run[i].isupper()) else 0


def _pairs(syllables: list[str]) -> list[list[str]]:
    """Two-syllable words left to right, a last lone syllable joining the one before; a lone syllable is none."""
    words = [syllables[i:i + 2] for i in range(0, len(syllables) - 1, 2)]
    if len(syllables) % 2 and words:
        words[-1].append(syllables[-1])
    return words


def _content_runs(quote: str) -> list[list[str]]:
    """The quote's syllables in runs, a run broken by punctuation, a bracket, a number or a function word."""
    runs: list[list[str]] = [[]]
    for piece in re.findall(r"\w+|[^\w\s]", fold(quote)):
        if not piece[0].isalnum() or piece.isdigit() or piece.lower() in FUNCTION_WORDS:
            runs.append([])
        else:
            runs[-1].append(piece)
    return [run for run in runs if run]
