"""The judging-words nudge: evidence describes students, it does not judge.

A nudge, never a block: the words are shown back with a suggestion and the
entry is saved as written. The same list goes to the browser (json_script) so
the hint appears while typing without a request.
"""

import re

JUDGING_WORDS = (
    "good",
    "bad",
    "great",
    "poor",
    "should",
    "shouldn't",
    "excellent",
    "awesome",
    "amazing",
    "terrible",
    "weak",
    "strong",
    "nice",
    "wonderful",
    "awful",
    "effective",
    "ineffective",
    "fantastic",
    "perfect",
    "failed",
    "lazy",
    "best",
    "worst",
)

NUDGE = (
    "Try describing what students were doing, saying or thinking instead of judging it."
)

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in JUDGING_WORDS) + r")\b",
    re.IGNORECASE,
)


def judging_words(text: str) -> list[str]:
    """The judging words in text, lower-cased, each once, in order of appearance."""
    found: list[str] = []
    for match in _PATTERN.finditer(text or ""):
        word = match.group(1).lower()
        if word not in found:
            found.append(word)
    return found
