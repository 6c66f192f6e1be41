"""Width, bracket and punctuation normalisation that keeps every character at its place.

Parsing runs on the normalised text; anything shown "as written" is sliced from the original
at the same offsets, so the mapping must stay one character for one character.
"""
from __future__ import annotations

import re

_MAP = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)}  # ！..～ -> !..~
_MAP.update({
    "\u3000": " ", "\u00a0": " ", "\t": "\t",
    "〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")", "﹙": "(", "﹚": ")",
    "〖": "(", "〗": ")", "｛": "(", "｝": ")",
    "﹐": ",", "﹔": ";", "﹕": ":", "︰": ":", "﹒": ".", "∶": ":",
})
_TABLE = str.maketrans(_MAP)

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
_ODD_SPACES = re.compile("[\u2000-\u200a\u202f\u205f]")


def half(text: str) -> str:
    """Full-width ASCII to half-width and every bracket form to ASCII parentheses (same length)."""
    return text.translate(_TABLE)


def clean_source(text: str) -> str:
    """Line endings, invisible characters and odd spaces a reader may leave behind."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    return text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")


def squeeze(text: str) -> str:
    """Remove all blanks (Chinese names and values carry none)."""
    return _SPACES.sub("", text)


def unit_form(text: str) -> str:
    """A unit name in its stored form: half-width brackets, no blanks."""
    return squeeze(half(text)).strip()


_BRACKETS = re.compile("[(“《)”》]")


def bracket_depths(text: str) -> list[int]:
    """Nesting depth of ( ) and quote marks at each position of a normalised text."""
    out = [0] * len(text)
    depth, last = 0, 0
    for m in _BRACKETS.finditer(text):
        i = m.start()
        if depth:
            out[last:i] = [depth] * (i - last)
        if m.group(0) in "(“《":
            out[i] = depth
            depth += 1
        else:
            if depth > 0:
                depth -= 1
            out[i] = depth
        last = i + 1
    if depth:
        out[last:] = [depth] * (len(text) - last)
    return out


def find_outside(text: str, chars: str, start: int = 0) -> int:
    """Index of the first of `chars` at bracket depth 0 from `start`, or -1."""
    depth = 0
    for m in re.finditer("[(“《)”》" + re.escape(chars) + "]", text):
        ch = m.group(0)
        if ch in chars and depth == 0 and m.start() >= start:
            return m.start()
        if ch in "(“《":
            depth += 1
        elif ch in ")”》" and depth > 0:
            depth -= 1
    return -1


def split_top(text: str, seps: str) -> list[str]:
    """Split a normalised text on separator characters that stand outside brackets and quotes."""
    parts, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(“《":
            depth += 1
        elif ch in ")”》":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
