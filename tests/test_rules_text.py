"""Free text made safe to store and to write into Word or Excel, as typed otherwise."""
from __future__ import annotations

from duban.rules.text import printable


def test_ordinary_text_is_kept_as_typed():
    assert printable("推进医养结合\t(第1项)") == "推进医养结合\t(第1项)"


def test_every_kind_of_line_break_becomes_one_newline():
    assert printable("一\r\n二\r三\x0b四\u2028五\x85六") == "一\n二\n三\n四\n五\n六"


def test_control_characters_word_cannot_hold_are_dropped():
    assert printable("养\x00老\x07服\x1b务\x7f\ufffe") == "养老服务"


def test_nothing_becomes_empty_text_and_numbers_become_text():
    assert printable(None) == "" and printable(12) == "12"
