"""Korean particles chosen by the word before them: 이/가, 을/를, 은/는, 과/와, (으)로.

A particle after a syllable with a final consonant (받침) takes its first form (회사**가** but
기업**이**); (으)로 takes 로 after a vowel *or* ㄹ (서울**로**, 부산**으로**). Digits and Latin
letters are read as Korean readers say them (1 일, 3 삼, 0 영, 10 십; L 엘, M 엠, N 엔, R 알),
so ``2025-GB-0001이`` and ``…@demo.smartfactory.kr로``. Closing quotes and brackets, tags and
entities are looked through (``“데모식품”이``, ``<strong>데모식품</strong>이``).

Translated texts keep the neutral marker where a value is put in (``%(company)s이(가)``);
``resolve`` replaces each marker by the form the word before it takes, once the value is in.
The notices and every email pass through it; a template uses the ``particles`` filter, or
``josa`` for one word (``{% load korean %}{{ company.name|josa:"이/가" }}``).
"""

from __future__ import annotations

import re

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # ㄹ as a final consonant (종성 index)
# Looked through at a word's end: closing quotes and brackets, markup tags and entities.
_TRAILING = re.compile(r"(?:\s|<[^<>]*>|&#?\w+;|[\"'”’」』)\]）］〉》])+$")
# The final consonant of each digit and Latin letter as read aloud: None (vowel), "ㄹ", or
# "c" (another consonant).
_DIGITS = {"0": "c", "1": "ㄹ", "2": None, "3": "c", "4": None, "5": None, "6": "c",
           "7": "ㄹ", "8": "ㄹ", "9": None}
_LETTERS = {letter: None for letter in "abcdeghijkopqtuvwy"}
_LETTERS.update({"f": "c", "s": "c", "x": "c", "z": "c", "m": "c", "n": "c",
                 "l": "ㄹ", "r": "ㄹ"})
# The neutral markers of translated texts, with (after a consonant, after a vowel).
PAIRS = {"이/가": ("이", "가"), "을/를": ("을", "를"), "은/는": ("은", "는"),
         "과/와": ("과", "와"), "으로/로": ("으로", "로")}
_MARKERS = {"이(가)": "이/가", "가(이)": "이/가", "을(를)": "을/를", "를(을)": "을/를",
            "은(는)": "은/는", "는(은)": "은/는", "과(와)": "과/와", "와(과)": "과/와",
            "(으)로": "으로/로"}
_MARKER = re.compile("|".join(re.escape(marker) for marker in _MARKERS))


def final_sound(word: str) -> str | None:
    """How the word ends: ``"ㄹ"``, ``"c"`` (another final consonant), ``None`` (a vowel), or
    ``"?"`` when it cannot be told (nothing readable at its end)."""
    text = _TRAILING.sub("", str(word))
    if not text:
        return "?"
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        final = (ord(last) - _HANGUL_FIRST) % 28
        return None if final == 0 else ("ㄹ" if final == _RIEUL else "c")
    if last in _DIGITS:
        if last == "0":  # 10 십, 100 백, 1000 천, 10000 만; 0 alone 영: a consonant each
            return "c"
        return _DIGITS[last]
    if last.lower() in _LETTERS:
        return _LETTERS[last.lower()]
    return "?"


def particle(word: str, pair: str) -> str:
    """The form of ``pair`` (``"이/가"``, ``"을/를"``, ``"은/는"``, ``"과/와"``, ``"으로/로"``)
    that follows ``word``; the neutral form (``이(가)``) when the word's end cannot be read."""
    after_consonant, after_vowel = PAIRS[pair]
    sound = final_sound(word)
    if sound == "?":
        return "(으)로" if pair == "으로/로" else f"{after_consonant}({after_vowel})"
    if pair == "으로/로":
        return after_consonant if sound == "c" else after_vowel
    return after_vowel if sound is None else after_consonant


def josa(word, pair: str) -> str:
    """``word`` followed by the right form of ``pair``: ``josa("데모식품", "이/가")`` is
    ``데모식품이``."""
    return f"{word}{particle(str(word), pair)}"


def resolve(text: str) -> str:
    """Every neutral marker of ``text`` (``이(가)``, ``을(를)``, ``은(는)``, ``과(와)``,
    ``(으)로``) replaced by the form the word before it takes; a marker after nothing readable
    stays as it is."""
    def replace(match):
        before = text[:match.start()]
        if not before or before[-1].isspace():
            return match.group(0)
        return particle(before, _MARKERS[match.group(0)])

    return _MARKER.sub(replace, str(text))
