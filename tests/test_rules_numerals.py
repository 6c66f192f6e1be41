"""Chinese numerals: section numbers written (一、…十二、) and numbers read from plan text (三年内, 二〇二六年)."""
from __future__ import annotations

import pytest

from duban.rules.numerals import cn_int, cn_numeral, cn_year


@pytest.mark.parametrize("n, written", [
    (0, "零"), (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (25, "二十五"),
    (99, "九十九"), (100, "100"),
])
def test_section_numbers_are_written_in_numerals(n, written):
    assert cn_numeral(n) == written


@pytest.mark.parametrize("text, n", [
    ("5", 5), ("12", 12), ("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十八", 28), ("三十一", 31),
    ("年", 0),
])
def test_small_numbers_are_read_in_digits_or_numerals(text, n):
    assert cn_int(text) == n


def test_what_is_written_reads_back():
    assert all(cn_int(cn_numeral(n)) == n for n in range(1, 100))


def test_a_year_written_digit_by_digit_is_read():
    assert cn_year("二〇二六") == 2026 and cn_year("二零二五") == 2025 and cn_year("一九九八") == 1998
