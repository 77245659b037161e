"""The readability of the plain-language summary: the Flesch reading ease of short texts whose
syllable counts are unambiguous equals the value worked out by hand, the verdicts fall where the
bands say, and an empty text has no score.

    reading ease = 206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words)"""

import pytest

from victims.readability import (
    TARGET,
    Readability,
    readability,
    sentence_count,
    syllables,
    words_of,
)


def test_one_syllable_words_give_the_hand_computed_score():
    text = "The cat sat on the mat. The dog ran."
    # Every word has one syllable in the CMU dictionary (the: DH AH0; cat: K AE1 T; ...).
    assert [syllables(w) for w in words_of(text)] == [1] * 9
    result = readability(text)
    assert (result.words, result.sentences, result.syllables) == (9, 2, 9)
    # 206.835 − 1.015 × (9 / 2) − 84.6 × (9 / 9) = 206.835 − 4.5675 − 84.6 = 117.6675 → 117.7
    assert result.reading_ease == 117.7
    assert result.verdict == "Easy to read" and result.meets_target


def test_words_whose_cmu_counts_are_stated_give_the_hand_computed_score():
    # CMU: water W AO1 T ER0 (2), is IH1 Z (1), better B EH1 T ER0 (2): 5 syllables, 3 words.
    assert (syllables("water"), syllables("is"), syllables("better")) == (2, 1, 2)
    result = readability("Water is better.")
    assert (result.words, result.sentences, result.syllables) == (3, 1, 5)
    # 206.835 − 1.015 × (3 / 1) − 84.6 × (5 / 3) = 206.835 − 3.045 − 141 = 62.79 → 62.8
    assert result.reading_ease == 62.8
    assert result.verdict == "Plain English" and result.meets_target


@pytest.mark.parametrize(
    "words, sentences, syllables_, score, verdict, meets",
    [
        # 206.835 − 1.015 × 10 − 84.6 × 1.2 = 206.835 − 10.15 − 101.52 = 95.165
        (100, 10, 120, 95.2, "Easy to read", True),
        # 206.835 − 1.015 × 20 − 84.6 × 1.4 = 206.835 − 20.3 − 118.44 = 68.095
        (100, 5, 140, 68.1, "Plain English", True),
        # 206.835 − 1.015 × 20 − 84.6 × 1.5 = 206.835 − 20.3 − 126.9 = 59.635: just under 60
        (100, 5, 150, 59.6, "Fairly difficult", False),
        # 206.835 − 1.015 × 25 − 84.6 × 1.7 = 206.835 − 25.375 − 143.82 = 37.64
        (100, 4, 170, 37.6, "Difficult", False),
        # 206.835 − 1.015 × 50 − 84.6 × 1.8 = 206.835 − 50.75 − 152.28 = 3.805
        (100, 2, 180, 3.8, "Very difficult", False),
    ],
)
def test_the_verdicts_and_the_target(words, sentences, syllables_, score, verdict, meets):
    result = Readability(words=words, sentences=sentences, syllables=syllables_)
    assert result.reading_ease == score
    assert result.verdict == verdict
    assert result.meets_target is meets
    assert TARGET == 60


@pytest.mark.parametrize("text", ["", "   ", "\n\n  \n", "... !?"])
def test_an_empty_text_has_no_score(text):
    result = readability(text)
    assert (result.words, result.sentences, result.syllables) == (0, 0, 0)
    assert result.reading_ease is None
    assert result.verdict == "Nothing written yet"
    assert not result.meets_target


def test_a_blank_line_ends_a_sentence_and_a_text_without_a_stop_is_one():
    assert sentence_count("What happened\n\nThe cat sat.") == 2
    assert sentence_count("No full stop at all") == 1
