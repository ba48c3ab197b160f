"""SMOG reading grade of patient information: the reference for the editor's readability check.

The editor's Checks panel grades an article in the browser, with
medical_content/static/medical_content/readability.js. This module is the same algorithm,
rule for rule, in Python: tests grade known texts with it and check that the script gives the
same answer in Chromium (tests/medical_content/test_readability.py,
tests/browser/test_editor_checks.py). Change one, change the other.

SMOG (McLaughlin, "SMOG grading: a new readability formula", Journal of Reading 12(8), 1969):

    grade = 1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291

where a polysyllable is a word of three or more syllables. The grade is a US school grade: the
years of schooling a reader needs to understand the text fully.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

# The grade above which the editor is warned. Published UK guidance is stricter than this
# ceiling, not looser: the Patient Information Forum's how-to guide "Using plain language in
# health information" (pifonline.org.uk) asks for a reading age of 9-11, and readability
# studies of UK patient leaflets take US grade 6 or lower (UK year 7, age 11-12) as ideal, e.g.
# the 2021 study of the British Association of Dermatologists' leaflets (PubMed 34854104),
# whose mean SMOG grade was 12.1. 10 is the publisher's ceiling, not a goal; lower it here.
TARGET_GRADE = 10

# McLaughlin graded samples of 30 sentences; the normalised formula above is the usual way to
# grade shorter texts, but below 10 sentences one long word moves the grade by a whole year or
# more, so shorter texts are reported as too short to grade rather than given a number.
MIN_SENTENCES = 10

# Compounds whose first part ends in a silent e ("someone", "lifestyle", "therefore"): counted
# as two words, or the e would be heard as a syllable. "any" is here so "anyone" keeps three.
_COMPOUND_PREFIXES = (
    "some",
    "there",
    "life",
    "home",
    "care",
    "safe",
    "time",
    "like",
    "fore",
    "whole",
    "base",
    "side",
    "any",
)
# Common words the rules below get wrong in a way that matters (two syllables, not three).
_EXCEPTIONS = {"every": 2, "evening": 2, "business": 2, "whereas": 2}
# Endings that add no syllable, unless the second pattern matches (at most one applies).
_SILENT_ENDINGS = (
    ("[^aeiouy]es$", "([sxzgc]|[cs]h|[^aeiouy][lr])es$"),  # makes; not changes, tables
    ("[^aeiouytd]ed$", None),  # jumped; not treated, needed
    ("[^aeiouy]e$", "[^aeiouy][lr]e$"),  # make; not table, centre
    ("[^aeiouy]e(ly|ty|ful|ment|ness|less)$", None),  # safely, safety, movement
)
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATION = re.compile(r"\b(e\.g|i\.e|Dr|Mr|Mrs|Ms|vs)\.", re.IGNORECASE)
# A sentence ends at . ! or ? (and any closing quote or bracket) followed by a space or the end.
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s|$)")
# Words are runs of letters, with inner apostrophes ("don't") and hyphens ("D-dimer").
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@dataclass(frozen=True)
class SmogResult:
    """What the editor is shown: the grade, or None when the text is too short to grade."""

    sentences: int
    polysyllables: int
    grade: float | None

    @property
    def above_target(self) -> bool:
        return self.grade is not None and self.grade > TARGET_GRADE


def _count_word(word: str) -> int:
    """Syllables in one lower-case word of letters only (no hyphen, no apostrophe)."""
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    for prefix in _COMPOUND_PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 3 and re.search("[aeiouy]", rest):
            return _count_word(prefix) + _count_word(rest)
    # Vowel groups; a leading y is a consonant ("yes"), any other y a vowel ("rhythm", "dye").
    count = len(re.findall("[aeiouy]+", word[0].replace("y", "b") + word[1:]))
    # Vowel pairs spoken as two syllables: calcium, period, media, usual, area, autism, easier.
    # Not after the letters that fold them into one: -tion, -cial, -gion, -sion, million.
    count += len(re.findall("iu", word))
    count += len(re.findall("(?<![cgstxln])io", word))
    count += len(re.findall("(?<![cgstl])ia", word))
    count += len(re.findall("(?<![qg])ua", word))
    if len(word) > 3 and re.search("[^aeiou]eas?$", word):
        count += 1
    if re.search("ism$|[^aeiou]i(er|est)$", word):
        count += 1
    if any(
        re.search(ending, word) and not (unless and re.search(unless, word))
        for ending, unless in _SILENT_ENDINGS
    ):
        count -= 1
    return max(1, count)


def count_syllables(word: str) -> int:
    """Syllables in an English word, by rule (no dictionary): good enough to tell words of
    three or more syllables from shorter ones, which is all SMOG needs.

    Initialisms of up to five capitals are read letter by letter (NHS, DVT, MRI: 3) unless
    they have two vowels and are read as a word (NICE, COVID). Hyphenated words are one word
    whose parts add up (D-dimer: 3). Numbers are not words.
    """
    letters = re.sub(r"['\u2019]", "", word)
    if not letters:
        return 0
    parts = [part for part in letters.split("-") if part]
    if len(parts) > 1:
        return sum(count_syllables(part) for part in parts)
    if 2 <= len(letters) <= 5 and letters.isupper() and len(re.findall("[AEIOU]", letters)) < 2:
        return sum(3 if letter == "W" else 1 for letter in letters)
    return _count_word(letters.lower())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(block: str) -> list[str]:
    """The sentences of one block of text (a heading, paragraph or list item).

    A block always ends a sentence, whether or not it ends in a full stop: headings,
    questions and list items are read as units, as a reader meets them on the page.
    """
    protected = _ABBREVIATION.sub(lambda m: m.group(1), " ".join(block.split()))
    return [part.strip() for part in _SENTENCE_END.split(protected) if words(part)]


def smog_grade(polysyllables: int, sentence_count: int) -> float:
    return 1.0430 * math.sqrt(polysyllables * 30 / sentence_count) + 3.1291


def smog(blocks: Iterable[str]) -> SmogResult:
    """SMOG over all the sentences of the blocks (all of them, not McLaughlin's sample of 30)."""
    found = [sentence for block in blocks for sentence in sentences(block)]
    polysyllables = sum(
        1 for sentence in found for word in words(sentence) if count_syllables(word) >= 3
    )
    grade = smog_grade(polysyllables, len(found)) if len(found) >= MIN_SENTENCES else None
    return SmogResult(sentences=len(found), polysyllables=polysyllables, grade=grade)
