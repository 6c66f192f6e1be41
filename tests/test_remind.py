"""Reminders reach the right liaisons once, on working days, by e-mail through a real SMTP server on loopback."""
from __future__ import annotations

import datetime as dt

import pytest

from db.queries import reminders as rq
from duban.access import SYSTEM, Actor
from duban.jobs import jobs, outbox
from duban.jobs.outbox import utcnow
from duban.services import inbox
from tests.remind_world import SmtpSink, add_task, make_world, set_smtp, smtp_fixture  # noqa: F401 - the smtp fixture

MON = dt.date(2026, 11, 23)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def world(db):
    return make_world(db)


def liaison(world, user_id, department):
    return Actor(user_id=user_id, username="x", role="liaison", department_ids=frozenset({department}))


def test_each_liaison_gets_one_digest_with_their_items_and_a_rerun_sends_nothing(db, world, smtp):
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead"), (world.b, "co")], "2026-11-30")
    add_task(db, world, "month", "完善普惠托育服务价格机制", [(world.a, "lead")], "2026-12-23")
    add_task(db, world, "far", "推进老年助餐服务", [(world.c, "lead")], "2027-03-01", plan=world.plan2)
    add_task(db, world, "done", "开展托育机构质量评估", [(world.b, "lead")], "2026-11-30", state="closed")

    result = jobs.remind(db, MON)

    assert result.failed == 0
    assert sorted(m.to[0] for m in smtp.mails) == ["a@zz.example.gov.cn", "b-unit@zz.example.gov.cn",
                                                   "b@zz.example.gov.cn"]
    a_mail = smtp.to("a@zz.example.gov.cn")[0]
    assert "2 项任务需关注" in a_mail.subject
    assert "【郑州市“一老一小”整体解决方案】" in a_mail.body
    assert "建设社区嵌入式养老服务设施" in a_mail.body and "还有 7 天到期" in a_mail.body
    assert "完善普惠托育服务价格机制" in a_mail.body and "还有 30 天到期" in a_mail.body
    b_mail = smtp.to("b@zz.example.gov.cn")[0]
    assert "建设社区嵌入式养老服务设施" in b_mail.body and "配合" in b_mail.body
    assert "完善普惠托育服务价格机制" not in b_mail.body and "开展托育机构质量评估" not in b_mail.body
    assert not smtp.to("c@bt.example.gov.cn") and not smtp.to("office@zz.example.gov.cn")

    a_inbox = inbox.inbox(db, liaison(world, world.user_a, world.a))
    assert len(a_inbox) == 1 and "建设社区嵌入式养老服务设施" in a_inbox[0]["body"]

    again = jobs.remind(db, MON)
    assert again.messages == [] and again.sent == 0
    assert len(smtp.mails) == 3
    assert len(inbox.inbox(db, liaison(world, world.user_a, world.a))) == 1


def test_overdue_items_are_chased_weekly_with_the_office_in_copy_grouped_by_unit(db, world, smtp):
    add_task(db, world, "late", "制定养老服务设施布局专项规划", [(world.a, "lead")], "2026-11-20")
    add_task(db, world, "late_bt", "建立基本养老服务清单", [(world.c, "lead")], "2026-11-19", plan=world.plan2)

    per_day = {}
    for n in range(0, 8):
        day = MON + dt.timedelta(days=n)
        before = len(smtp.mails)
        jobs.run_job(db, SYSTEM, jobs.REMIND, day)
        per_day[day.isoformat()] = sorted(m.to[0] for m in smtp.mails[before:])

    office = "office@zz.example.gov.cn"
    assert per_day["2026-11-23"] == sorted(["a@zz.example.gov.cn", "c@bt.example.gov.cn", office])
    copy = smtp.to(office)[0]
    assert "督办抄送" in copy.subject and "2 个单位" in copy.subject
    assert copy.body.index("【郑州市 市民政局】") < copy.body.index("制定养老服务设施布局专项规划")
    assert "【包头市 市民政局】" in copy.body and "已逾期 3 天" in copy.body
    # 11-27 (Fri) is a week after 包头's first reminder; 郑州's falls on Saturday 11-28 and waits for Monday
    assert per_day["2026-11-24"] == per_day["2026-11-25"] == per_day["2026-11-26"] == []
    assert per_day["2026-11-27"] == sorted(["c@bt.example.gov.cn", office])
    assert per_day["2026-11-28"] == per_day["2026-11-29"] == []
    assert per_day["2026-11-30"] == sorted(["a@zz.example.gov.cn", office])


def test_with_the_mail_server_down_messages_wait_in_the_outbox_and_go_out_once_it_is_back(db, world, monkeypatch):
    down = SmtpSink()  # not started: connections to its port are refused
    set_smtp(monkeypatch, down.port)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead"), (world.b, "co")], "2026-11-30")

    first = jobs.remind(db, MON)

    assert first.sent == 2 and first.failed == 3  # the two in-app messages went; the three e-mails did not
    failed = outbox.list_outbox(db, _office(world), "failed")
    assert len(failed) == 3 and all("无法连接邮件服务器" in r["last_error"] for r in failed)
    assert jobs.remind(db, MON).messages == []  # a rerun adds nothing; the same three wait

    down.start()
    try:
        assert jobs.flush_outbox(db, MON).sent == 0  # still inside the backoff
        assert down.mails == []
        later = jobs.flush_outbox(db, MON, now=utcnow() + dt.timedelta(minutes=2))
        assert later.sent == 3
        assert sorted(m.to[0] for m in down.mails) == ["a@zz.example.gov.cn", "b-unit@zz.example.gov.cn",
                                                       "b@zz.example.gov.cn"]
        assert jobs.flush_outbox(db, MON, now=utcnow() + dt.timedelta(hours=1)).sent == 0
        assert jobs.remind(db, MON).sent == 0
        assert len(down.mails) == 3
        assert outbox.list_outbox(db, _office(world), "failed,abandoned") == []
    finally:
        down.stop()


def test_backoff_doubles_and_gives_up_after_many_failures(db, world, monkeypatch):
    down = SmtpSink()
    set_smtp(monkeypatch, down.port)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")
    jobs.remind(db, MON)
    row = next(r for r in rq.recent_outbox(db) if r["channel"] == "email")
    first_wait = dt.datetime.fromisoformat(row["next_attempt_at"])
    jobs.flush_outbox(db, MON, now=first_wait + dt.timedelta(seconds=1))
    row2 = rq.outbox_by_id(db, row["id"])
    assert row2["attempts"] == 2
    assert dt.datetime.fromisoformat(row2["next_attempt_at"]) - first_wait >= dt.timedelta(seconds=119)
    moment = dt.datetime.fromisoformat(row2["next_attempt_at"])
    for _ in range(outbox.MAX_ATTEMPTS):
        moment += dt.timedelta(seconds=outbox.MAX_BACKOFF + 1)
        jobs.flush_outbox(db, MON, now=moment)
    assert rq.outbox_by_id(db, row["id"])["status"] == "abandoned"
    outbox.retry_now(db, _office(world), row["id"])
    assert rq.outbox_by_id(db, row["id"])["status"] == "failed"


def test_after_a_restart_that_missed_a_day_the_missed_reminder_goes_out_once(db, world, smtp):
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")

    assert jobs.run_job(db, SYSTEM, jobs.REMIND, d("2026-11-20")).status == "ran"
    assert smtp.mails == []
    # the server is down all of Monday 11-23, when the 7-day reminder was due; it restarts on Tuesday
    assert jobs.catch_up(db, d("2026-11-24"))[jobs.REMIND].status == "ran"
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"]
    assert "还有 6 天到期" in smtp.mails[0].body
    assert jobs.catch_up(db, d("2026-11-24")) == {}  # both daily jobs already ran today
    assert jobs.run_job(db, SYSTEM, jobs.REMIND, d("2026-11-24")).status == "already"
    jobs.run_job(db, SYSTEM, jobs.REMIND, d("2026-11-25"))
    assert len(smtp.mails) == 1


def test_a_long_outage_catches_up_every_day_missed_since_the_last_recorded_run(db, world, smtp):
    add_task(db, world, "month", "完善普惠托育服务价格机制", [(world.a, "lead")], "2026-12-15")
    jobs.run_job(db, SYSTEM, jobs.REMIND, d("2026-11-10"))
    # the 30-day reminder was due Sunday 11-15, so Monday 11-16; the server comes back on 11-27
    jobs.run_job(db, SYSTEM, jobs.REMIND, d("2026-11-27"))
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"]
    assert "还有 18 天到期" in smtp.mails[0].body


def test_nothing_goes_out_on_national_day_and_a_reminder_due_then_goes_out_on_the_next_working_day(db, world, smtp):
    add_task(db, world, "month", "完善普惠托育服务价格机制", [(world.a, "lead")], "2026-10-31")  # 30 days: 10-01
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-10-08")  # 7 days: 10-01

    sent_on = {}
    day = d("2026-09-28")
    while day <= d("2026-10-08"):
        before = len(smtp.mails)
        jobs.run_job(db, SYSTEM, jobs.REMIND, day)
        sent_on[day.isoformat()] = len(smtp.mails) - before
        day += dt.timedelta(days=1)

    assert all(sent_on[f"2026-10-0{n}"] == 0 for n in range(1, 8))
    assert not [r for r in rq.recent_outbox(db) if "2026-10-01" <= r["day"] <= "2026-10-07"]
    assert sent_on["2026-10-08"] == 1
    mail = smtp.mails[-1]
    assert "完善普惠托育服务价格机制" in mail.body and "建设社区嵌入式养老服务设施" in mail.body
    assert "今日到期" in mail.body
    assert sum(sent_on.values()) == 1


def test_queued_messages_wait_over_a_holiday(db, world, smtp):
    from duban.services.messages import queue_message

    # zz-a's inbox, and one e-mail: the account's and the unit's address are the same
    assert queue_message(db, world.a, "请报送联席会议材料", "请于会前报送本单位进展。", "meeting:1:unit", d("2026-10-01")) == 2
    assert jobs.flush_outbox(db, d("2026-10-01")).sent == 0
    assert smtp.mails == []
    assert jobs.flush_outbox(db, d("2026-10-08")).sent == 2
    assert sorted(m.to[0] for m in smtp.mails) == ["a@zz.example.gov.cn"]


def test_queue_message_is_once_per_key(db, world, smtp):
    from duban.services.messages import already_queued, queue_message

    first = queue_message(db, world.b, "会前报送", "请报送进展。", "meeting:7:b", MON)
    assert first == 3  # zz-b in-app, zz-b's address, the unit's address
    assert queue_message(db, world.b, "会前报送", "请报送进展。", "meeting:7:b", MON) == 0
    assert already_queued(db, "meeting:7:b")
    jobs.flush_outbox(db, MON)
    assert sorted(m.to[0] for m in smtp.mails) == ["b-unit@zz.example.gov.cn", "b@zz.example.gov.cn"]
    assert queue_message(db, world.b, "会前报送", "请报送进展。", "meeting:7:b", MON + dt.timedelta(days=1)) == 0
    # a unit without accounts gets one shared in-app message
    assert queue_message(db, world.c, "会前报送", "请报送进展。", "meeting:7:c", MON) == 2
    jobs.flush_outbox(db, MON)
    assert [m.to[0] for m in smtp.mails[2:]] == ["c@bt.example.gov.cn"]


def test_dry_run_says_who_would_get_what_and_changes_nothing(db, world, smtp):
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")
    result = jobs.remind(db, MON, dry_run=True)
    assert {(p.channel, p.recipient) for p in result.messages} == {("inapp", f"user:{world.user_a}"),
                                                                  ("email", "a@zz.example.gov.cn")}
    assert smtp.mails == [] and rq.recent_outbox(db) == []
    assert db.conn.execute("SELECT count(*) FROM notification_log").fetchone()[0] == 0
    assert jobs.remind(db, MON).sent == 2


def test_without_a_mail_server_only_the_inbox_is_used(db, world, monkeypatch):
    for var in ("DUBAN_SMTP_HOST", "DUBAN_SMTP_PORT"):
        monkeypatch.delenv(var, raising=False)
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")
    result = jobs.remind(db, MON)
    assert [p.channel for p in result.messages] == ["inapp"] and result.failed == 0


def test_the_inbox_shows_a_user_only_their_own_messages_and_marks_them_read(db, world, smtp):
    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead")], "2026-11-30")
    add_task(db, world, "week_b", "开展托育机构质量评估", [(world.b, "lead")], "2026-11-30")
    jobs.remind(db, MON)
    a = liaison(world, world.user_a, world.a)
    b = liaison(world, world.user_b, world.b)
    assert inbox.unread_count(db, a) == 1 and inbox.unread_count(db, b) == 1
    a_msg = inbox.inbox(db, a)[0]
    assert "开展托育机构质量评估" not in a_msg["body"]
    assert inbox.mark_read(db, b, [a_msg["id"]]) == 0  # someone else's message is never touched
    assert inbox.unread_count(db, a) == 1
    assert inbox.mark_read(db, a) == 1
    assert inbox.unread_count(db, a) == 0 and inbox.inbox(db, a, unread_only=True) == []


def test_co_units_are_left_out_when_a_rule_says_so(db, world, smtp):
    from duban.services import reminder_rules as rules

    add_task(db, world, "week", "建设社区嵌入式养老服务设施", [(world.a, "lead"), (world.b, "co")], "2026-11-30")
    office = _office(world)
    rule = next(r for r in rules.list_rules(db, office) if r.kind == "before" and r.days == 7)
    rules.save_rule(db, office, "before", 7, rule_id=rule.id, to_co=False, channels=["email"])
    jobs.remind(db, MON)
    assert [m.to[0] for m in smtp.mails] == ["a@zz.example.gov.cn"]
    assert inbox.inbox(db, liaison(world, world.user_a, world.a)) == []  # the rule no longer uses the inbox


def _office(world) -> Actor:
    return Actor(user_id=world.office, username="bangong", role="office")
