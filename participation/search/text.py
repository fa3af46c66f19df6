"""Words of Thai and mixed text for the search index: segmented by PyThaiNLP's newmm, offline.

Thai is written without spaces between words, so neither a substring match nor splitting on
spaces finds what a reader means: "ตา" (eye) is inside "ตาม" (follow), and "ไฟป่า" (forest
fire) is one word to the tokenizer although a reader looking for "ป่า" (forest) expects it.
The text is cut into dictionary words both when it is indexed and when it is searched; at
index time a compound word is also indexed by its parts when every part is itself a word.

PyThaiNLP is imported on first use: it loads its dictionary from files inside the package and
never downloads anything for the newmm tokenizer or the word list.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import Any

import marisa_trie

# A word is a run of letters of any script, Thai vowel and tone marks included (they are
# combining marks, which `\w` leaves out), or a run of digits: "PM2.5" and "PM 2.5" are both
# pm, 2, 5. Punctuation, Thai ฯ and ๏ included, separates words.
WORD = re.compile(r"\d+|(?:[^\W\d_]|[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E])+")
THAI = re.compile(r"[\u0E01-\u0E4E]")
# Thai text (letters, marks, digits) and the text between: only the Thai runs go to newmm.
THAI_RUN = re.compile(r"([\u0E01-\u0E4E\u0E50-\u0E59]+)|[^\u0E01-\u0E4E\u0E50-\u0E59]+")
# ๒๕๖๘ and 2568 are the same year.
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Longer runs are not words (a pasted hash or a line of repeated letters); PostgreSQL would also
# refuse a lexeme past 2 KB.
MAX_WORD_LENGTH = 60
# A compound longer than this is not split into parts (the search for parts grows with it).
MAX_COMPOUND_LENGTH = 40


@dataclass(frozen=True)
class Span:
    """One word of a text: where it is in the (NFC-normalised) text, and its normalised form."""

    start: int
    end: int
    word: str


# The first search of a threaded server process: one thread loads, the others wait for it.
_LOADING = threading.Lock()


class Dictionary:
    """PyThaiNLP's word list as a MARISA trie, for newmm and for finding a compound's parts:
    about 1 MB instead of the 60 MB of PyThaiNLP's own trie of Python objects (which each
    server process would hold, and take 1-3 s to build). newmm asks it for nothing but
    prefixes(), which both tries give shortest first; the segmentation is the same
    (tests/search/test_text.py compares them)."""

    def __init__(self, words: Any) -> None:
        self.trie = marisa_trie.Trie(words)
        self.longest = max(map(len, words), default=0)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """The dictionary words that text[start:] begins with, shortest first."""
        return self.trie.prefixes(text[start:start + self.longest])

    def __contains__(self, word: object) -> bool:
        return word in self.trie


def _thai() -> tuple[Any, Dictionary, frozenset[str]]:
    """newmm with the dictionary, the dictionary, and province names (loaded on first use)."""
    with _LOADING:
        return _load_thai()


@cache
def _load_thai() -> tuple[Any, Dictionary, frozenset[str]]:
    # Without these PyThaiNLP creates ~/pythainlp-data on import (which fails where the home
    # folder is read-only) and may fetch a missing corpus; everything used here ships with it.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.corpus import provinces, thai_words
    from pythainlp.tokenize import word_tokenize

    dictionary = Dictionary(thai_words())
    newmm = partial(word_tokenize, custom_dict=dictionary, engine="newmm", keep_whitespace=False)
    return newmm, dictionary, provinces()


def load_dictionary() -> None:
    """Load the tokenizer and its dictionary now: in a server's master process before it
    forks its workers, which then share it instead of each loading it on its first search."""
    _thai()


def prepare(text: str) -> str:
    """Return the text in the form every offset refers to (Unicode NFC)."""
    return unicodedata.normalize("NFC", text or "")


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, token) for a prepared text: Thai runs cut into words by newmm, other text
    left in runs for WORD to split (newmm would cut "Café" before its "é")."""
    word_tokenize = _thai()[0] if THAI.search(text) else None
    for run in THAI_RUN.finditer(text):
        if run.group(1) is None:
            yield run.start(), run.group()
            continue
        offset = run.start()
        for token in word_tokenize(run.group()):
            yield offset, token
            offset += len(token)


def _normal(word: str) -> str:
    return word.casefold().translate(THAI_DIGITS)


def _words_of(token: str) -> Iterator[re.Match[str]]:
    for match in WORD.finditer(token):
        if match.end() - match.start() <= MAX_WORD_LENGTH:
            yield match


def spans(text: str) -> list[Span]:
    """Cut a prepared text into words with their positions (for highlighting)."""
    return [
        Span(offset + match.start(), offset + match.end(), _normal(match.group()))
        for offset, token in _tokens(text)
        for match in _words_of(token)
    ]


def segment(text: str) -> list[str]:
    """Cut text into normalised words (lower case, no punctuation), in order, without parts."""
    return [
        _normal(match.group())
        for _offset, token in _tokens(prepare(text))
        for match in _words_of(token)
    ]


@lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The dictionary words a compound word is made of, or () when it is not such a compound.

    newmm keeps a dictionary compound such as ไฟป่า or ทำให้เกิด whole. Its parts are the fewest
    dictionary words (other than the compound itself) that spell it exactly, so "ตาม" has none
    ("ม" is no word) and "ตา" will not find it, while "ไฟป่า" has ไฟ + ป่า."""
    if len(word) < 2 or len(word) > MAX_COMPOUND_LENGTH or not THAI.search(word):
        return ()
    _tokenize, dictionary, provinces = _thai()
    # A place is not its parts: ลำปาง is not about ปาง, nor เชียงใหม่ about ใหม่ (new).
    if word in provinces:
        return ()
    size = len(word)
    # best[i]: the fewest words spelling word[i:], preferring a longer first word on a tie.
    best: list[tuple[str, ...] | None] = [None] * (size + 1)
    best[size] = ()
    for start in range(size - 1, -1, -1):
        for end in range(size, start, -1):
            rest = best[end]
            piece = word[start:end]
            if rest is None or (start == 0 and end == size) or piece not in dictionary:
                continue
            candidate = (piece, *rest)
            if best[start] is None or len(candidate) < len(best[start]):
                best[start] = candidate
    found = best[0]
    return found if found is not None and len(found) > 1 else ()


def index_words(text: str) -> list[str]:
    """The words to index for a text: each word, after its parts when it is a compound.

    Parts come first so that they follow the word before: newmm cuts "ไฟป่าชุมชน" as ไฟ +
    ป่าชุมชน, indexed as ไฟ ป่า ชุมชน ป่าชุมชน, where the phrase "ไฟ ป่า" (the parts of the
    searched ไฟป่า) is found."""
    result = []
    for word in segment(text):
        result.extend(parts(word))
        result.append(word)
    return result


def index_terms(text: str) -> str:
    """The index words of a text joined by spaces, as stored in the `*_terms` columns."""
    return " ".join(index_words(text))


def positions(terms: str, first: int = 1) -> str:
    """The terms as PostgreSQL tsvector text with positions: "word:1 other:2 ..."."""
    # Positions above 16383 are stored as 16383 by PostgreSQL; saying so keeps the cast quiet.
    return " ".join(
        f"{word}:{min(number, 16383)}" for number, word in enumerate(terms.split(), start=first)
    )


# Grammatical words a search can do without ("การเผา" means what "เผา" means). PyThaiNLP's own
# list of 1,030 stopwords is not used: it holds words a reader searches for, such as รับรอง
# (approve, as in รับรองรายงานการประชุม) and ผล (result).
STOPWORDS = frozenset(
    "การ ความ ที่ ซึ่ง อัน ของ และ หรือ กับ แก่ แต่ ใน จาก โดย เพื่อ ให้ ได้ ว่า จะ ก็ แล้ว อยู่ คือ"
    " เป็น มี นี้ นั้น ด้วย ถึง ไว้ ๆ ครับ ค่ะ นะ the a an of and or to in on for".split()
)


def query_words(text: str) -> list[str]:
    """The words of a search, each once, in order; grammatical words are left out unless
    nothing else would remain (every word must then be found)."""
    words = list(dict.fromkeys(segment(text)))
    meaningful = [word for word in words if word not in STOPWORDS]
    return meaningful or words
