"""Units that have not reported for a reporting cycle (每月20日前 …) are reminded in their daily digest before the
due date, on it and once after, on working days only, each once; the office's copy names who has not reported."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.access import SYSTEM, Actor
from duban.jobs import jobs
from duban.services import cycles, inbox, reports, users
from duban.services import reminder_rules as rules
from tests.remind_world import HookSink, add_task, make_world, smtp_fixture  # noqa: F401 - the smtp fixture

OFFICE_MAIL = "office@zz.example.gov.cn"
A_MAIL, B_MAIL, B_UNIT = "a@zz.example.gov.cn", "b@zz.example.gov.cn", "b-unit@zz.example.gov.cn"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def world(db):
    """郑州's plan: 市民政局 (a) leads a task, 市卫健委 (b) co-operates on it; nothing falls due for months."""
    w = make_world(db)
    add_task(db, w, "long", "建设社区嵌入式养老服务设施", [(w.a, "lead"), (w.b, "co")], "2027-06-30")
    return w


def run_days(db, smtp, first: str, last: str) -> dict[str, list[str]]:
    """Run the reminder job every day from first to last; who got mail on which day."""
    out, day = {}, d(first)
    while day <= d(last):
        before = len(smtp.mails)
        jobs.run_job(db, SYSTEM, jobs.REMIND, day)
        out[day.isoformat()] = sorted(m.to[0] for m in smtp.mails[before:])
        day += dt.timedelta(days=1)
    return out


def report(db, user_id: int, task_id: int, today: dt.date) -> None:
    reports.file_report(db, users.actor_for(db, user_id), task_id, "本月工作按计划推进。", 40, "推进中", today)


def test_units_that_have_not_reported_are_reminded_before_on_and_once_after_the_due_date(db, world, smtp):
    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=20)  # 2026-11-20 is a Friday

    # before: 3 days (Tue 11-17); on the day (Fri 11-20); once after: 1 day, Saturday 11-21, so Monday 11-23
    sent = run_days(db, smtp, "2026-11-16", "2026-11-17")
    report(db, world.user_a, world.tasks["long"], d("2026-11-18"))  # 市民政局 reports; 市卫健委 never does
    sent |= run_days(db, smtp, "2026-11-18", "2026-11-30")

    assert sent["2026-11-17"] == sorted([A_MAIL, B_MAIL, B_UNIT])
    assert sent["2026-11-20"] == sorted([B_MAIL, B_UNIT])
    assert sent["2026-11-23"] == sorted([B_MAIL, B_UNIT, OFFICE_MAIL])
    quiet = [day for day, to in sent.items() if day not in ("2026-11-17", "2026-11-20", "2026-11-23")]
    assert all(sent[day] == [] for day in quiet)

    first = smtp.to(B_MAIL)[0]
    assert "1 项定期进展待报送" in first.subject and "任务需关注" not in first.subject
    assert "【定期报送】" in first.body and "每月20日前" in first.body and "2026年11月" in first.body
    assert "还有 3 天截止" in first.body and "截止 2026-11-20" in first.body
    assert "今日截止" in smtp.to(B_MAIL)[1].body
    assert "已过截止日 3 天" in smtp.to(B_MAIL)[2].body
    copy = smtp.to(OFFICE_MAIL)[0]
    assert "督办抄送" in copy.subject and "1 个单位未按期报送进展" in copy.subject
    assert "【未按期报送进展的单位】" in copy.body and "郑州市 市卫健委(共 1 个单位)" in copy.body
    assert "市民政局" not in copy.body

    b = Actor(user_id=world.user_b, username="zz-b", role="liaison", department_ids=frozenset({world.b}))
    assert len(inbox.inbox(db, b)) == 3

    # a rerun, a restart, another process: nothing goes twice
    before = len(smtp.mails)
    assert jobs.remind(db, d("2026-11-23")).messages == []
    assert len(smtp.mails) == before
    logged = db.conn.execute("SELECT ref, recipient, channel, day, count(*) FROM notification_log "
                             "WHERE ref LIKE 'cycle:%' GROUP BY ref, recipient, channel, day").fetchall()
    assert logged and all(row[4] == 1 for row in logged)
    # the log keeps each reminder under its scheduled date: the on-day one (11-20) and the one after (11-21,
    # a Saturday, sent on Monday 11-23 in the same digest)
    b_mail = sorted((row[3], row[4]) for row in logged if row[1] == B_MAIL)
    assert b_mail == [("2026-11-17", 1), ("2026-11-20", 1), ("2026-11-21", 1)]


def test_the_cycle_reminder_joins_the_days_digest_of_task_deadlines(db, world, smtp):
    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=20)
    add_task(db, world, "week", "完善普惠托育服务价格机制", [(world.a, "lead")], "2026-11-24")  # 7 days: 11-17

    sent = run_days(db, smtp, "2026-11-17", "2026-11-17")

    assert sent["2026-11-17"] == sorted([A_MAIL, B_MAIL, B_UNIT])
    mail = smtp.to(A_MAIL)[0]
    assert mail.subject.endswith("1 项任务需关注,1 项定期进展待报送")
    assert mail.body.index("完善普惠托育服务价格机制") < mail.body.index("【定期报送】")
    assert "报送进展(2026年11月)" in mail.body


def test_nothing_goes_out_on_national_day_and_the_reminders_due_then_go_out_on_the_next_working_day(db, world, smtp):
    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=2)  # due Friday 10-02, inside the holiday

    sent = run_days(db, smtp, "2026-09-28", "2026-10-12")

    assert sent["2026-09-29"] == sorted([A_MAIL, B_MAIL, B_UNIT])  # 3 days before
    assert all(sent[f"2026-10-0{n}"] == [] for n in range(1, 8))
    # on the day (10-02) and the day after (10-03) both fall in the holiday: one digest on Thursday 10-08
    assert sent["2026-10-08"] == sorted([A_MAIL, B_MAIL, B_UNIT, OFFICE_MAIL])
    assert "已过截止日 6 天" in smtp.to(A_MAIL)[-1].body
    assert [day for day, to in sent.items() if to] == ["2026-09-29", "2026-10-08"]


def test_a_rule_for_lead_units_only_leaves_co_units_out(db, world, smtp):
    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=20)
    office = Actor(user_id=world.office, username="bangong", role="office")
    rule = next(r for r in rules.list_rules(db, office) if r.kind == "report_before")
    assert rule.label == "报送截止前 3 天"
    rules.save_rule(db, office, "report_before", 3, rule_id=rule.id, to_co=False, channels=["email"])

    sent = run_days(db, smtp, "2026-11-17", "2026-11-17")

    assert sent["2026-11-17"] == [A_MAIL]


def test_a_stopped_cycle_and_a_unit_that_reported_get_nothing(db, world, smtp):
    cycle_id = cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=20)
    report(db, world.user_b, world.tasks["long"], d("2026-10-25"))  # 市卫健委 reported for November already

    sent = run_days(db, smtp, "2026-11-17", "2026-11-17")
    assert sent["2026-11-17"] == [A_MAIL]

    cycles.set_active(db, SYSTEM, cycle_id, False)
    sent = run_days(db, smtp, "2026-11-20", "2026-11-20")
    assert sent["2026-11-20"] == []


def test_a_group_robot_for_all_units_lists_who_has_not_reported(db, world, smtp):
    from duban.services import reminder_settings as settings

    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=20)
    hook = HookSink().start()
    try:
        office = Actor(user_id=world.office, username="bangong", role="office")
        settings.add_webhook(db, office, "联席会议群", "json", hook.url + "/all", None, None)
        run_days(db, smtp, "2026-11-17", "2026-11-17")
    finally:
        hook.stop()
    assert len(hook.posts) == 1
    body = hook.posts[0]["json"]
    text = str(body)
    assert "【定期报送】以下 2 个单位尚未报送本期进展" in text
    assert "郑州市 市民政局、郑州市 市卫健委(共 2 个单位)" in text
    assert {it["department"] for it in body.get("items", []) if it.get("kind") == "report"} == {"市民政局", "市卫健委"}


def test_the_dry_run_shows_the_cycle_reminders_and_stores_nothing(db, world, smtp):
    cycles.add_cycle(db, SYSTEM, world.plan, "monthly", day=20)
    result = jobs.remind(db, d("2026-11-17"), dry_run=True)
    titles = {(p.channel, p.recipient): [it["title"] for it in p.items] for p in result.messages}
    assert titles[("email", A_MAIL)] == ["报送《郑州市“一老一小”整体解决方案》本期进展(每月20日前,2026年11月)"]
    assert smtp.mails == []
    assert db.conn.execute("SELECT count(*) FROM notification_log").fetchone()[0] == 0


def test_the_office_edits_cycle_rules_and_bad_days_are_refused(db, world):
    from duban.errors import InputError

    office = Actor(user_id=world.office, username="bangong", role="office")
    labels = [r.label for r in rules.list_rules(db, office) if r.kind in rules.REPORT_KINDS]
    assert labels == ["报送截止前 3 天", "报送截止当日", "报送截止后第 1 天(一次)"]
    with pytest.raises(InputError, match="1 到 90"):
        rules.save_rule(db, office, "report_after", 0)
    with pytest.raises(InputError, match="已有相同的规则"):
        rules.save_rule(db, office, "report_on_day", 5)  # the day itself: days do not apply
    rule_id = rules.save_rule(db, office, "report_before", 10, copy_office=True, channels=["inapp"])
    assert next(r for r in rules.list_rules(db, office) if r.id == rule_id).label == "报送截止前 10 天"


def test_upgrading_a_database_keeps_the_offices_rules_and_adds_the_cycle_rules(tmp_path):
    import sqlite3

    from db import connect
    from db.migrations import _statements, migration_files

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    for file in migration_files():
        if file.stem >= "008":
            break
        for statement in _statements(file.read_text(encoding="utf-8")):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations (name) VALUES (?)", [file.stem])
    conn.execute("UPDATE reminder_rules SET days=14, note='改为 14 天' WHERE kind='before' AND days=30")
    before = conn.execute("SELECT id, kind, days, note FROM reminder_rules ORDER BY id").fetchall()
    conn.close()

    db = connect(path)
    after = db.conn.execute("SELECT id, kind, days, note FROM reminder_rules ORDER BY id").fetchall()
    assert [tuple(r) for r in after[:len(before)]] == before
    assert [r[1] for r in after[len(before):]] == ["report_before", "report_on_day", "report_after"]
    db.conn.close()
