"""What a deadline works out to, written once for the task page and the meeting pack."""
from __future__ import annotations

from duban.rules.dates import cn_date
from duban.rules.instances import deadline_text
from duban.rules.records import Deadline

ONCE = {"id": 1, "kind": "once", "due": "2025-12-31", "phrase": "2025年底前"}
YEARLY = {"id": 2, "kind": "recurring", "freq": "yearly", "month": 5, "day": 31, "phrase": "每年五月底前"}
ONGOING = {"id": 3, "kind": "ongoing", "phrase": "长期坚持"}
PLAN_END = {"id": 4, "kind": "plan_end", "phrase": None}


def test_the_meeting_pack_writes_the_phrase_with_the_date_it_works_out_to():
    assert deadline_text(ONCE, ["2025-12-31"]) == "2025年底前(2025-12-31)"
    assert deadline_text({**ONCE, "phrase": "2025-12-31"}, []) == "2025-12-31"
    assert deadline_text(YEARLY, ["2024-05-31", "2025-05-31"]) == "每年五月底前"
    assert deadline_text({**YEARLY, "phrase": None}, []) == "每年5月31日前"
    assert deadline_text(ONGOING, ["2027-12-31"]) == "长期坚持"
    assert deadline_text({**ONGOING, "phrase": None}, []) == "持续推进"
    assert deadline_text(PLAN_END, ["2026-12-31", "2027-12-31"]) == "规划期末(2027-12-31)"
    assert deadline_text(PLAN_END, []) == "规划期末"


def test_the_task_page_shows_only_what_was_computed_in_chinese_dates():
    def page(d, dues):
        return deadline_text(d, dues, cn_date, as_written=False)

    assert page(ONCE, ["2025-12-31"]) == "2025年12月31日"
    assert page(YEARLY, ["2024-05-31", "2025-05-31"]) == "每年5月31日前(共 2 期)"
    assert page(ONGOING, ["2027-12-31"]) == "2027年12月31日(规划期末)"
    assert page(PLAN_END, []) == "规划期末"


def test_a_deadline_record_reads_the_same_as_its_row():
    record = Deadline(id=2, kind="recurring", freq="yearly", month=5, day=31, phrase="每年五月底前",
                      dues=("2024-05-31",))
    assert deadline_text(record, record.dues) == deadline_text(YEARLY, ["2024-05-31"])
    assert deadline_text(record, record.dues, as_written=False) == "每年5月31日前(共 1 期)"
