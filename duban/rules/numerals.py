"""Chinese numerals, written (一、二、…十二 for section numbers) and read (三, 十二, 二〇二六) in one place."""
from __future__ import annotations

# what each numeral character is worth; 两 is 二 in counts (两年内), 〇 and 零 are 0 in written years
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "〇": 0,
             "零": 0}
_WRITTEN = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五; from 100 on the digits are kept (section numbers never get there)."""
    if n < 10:
        return _WRITTEN[n]
    if n < 20:
        return "十" + (_WRITTEN[n % 10] if n % 10 else "")
    if n < 100:
        return _WRITTEN[n // 10] + "十" + (_WRITTEN[n % 10] if n % 10 else "")
    return str(n)


def cn_int(s: str) -> int:
    """A small number written in digits or Chinese numerals (5, 三, 十二, 二十八); 0 when it is none."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        return (CN_DIGITS.get(head, 1) if head else 1) * 10 + (CN_DIGITS.get(tail, 0) if tail else 0)
    return CN_DIGITS.get(s, 0)


def cn_year(s: str) -> int:
    """A year written digit by digit in numerals: 二〇二六 -> 2026 (一九九八 -> 1998)."""
    return int("".join(str(CN_DIGITS[c]) for c in s))
