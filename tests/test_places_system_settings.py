"""Settings of the whole system, as the office of one place finds them.

Reminder rules, the mail server, the robots, the sending time and the national holiday calendar apply to every
place: 包头市's office reads them and changes none of them (a change it asks for anyway is refused in Chinese and
nothing moves), while the whole database's office (bangong) and the system administrator (xitong) change them.
What the reminders send is another matter: 包头市's office previews, lists and receives only the messages of its
own place — none to 郑州市's or 金水区's units and accounts, none about their tasks. Backups, the status report
and the overdue check cover every place too, and are refused to it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.access import SYSTEM
from duban.errors import AccessDenied
from duban.jobs import digest, jobs, outbox
from duban.jobs import reminder_page as rp
from duban.jobs.channels import send_test_email
from duban.services import backups, check, holidays, inbox, reminder_rules, reminder_settings, system_status
from tests.place_world import actor, build_places
from tests.support import app_as
from tests.test_places_scope_pages import ZHENGZHOU, drawn_text

DUE = dt.date(2026, 12, 31)      # when 郑州's, 金水区's and 包头's tasks fall due (a Thursday)
EVE = dt.date(2026, 12, 30)      # the day before: the pages' today, with the one-day-before reminders to preview
# what only 郑州市 and its districts have, and the names of their accounts and robots
OTHERS = [*ZHENGZHOU, "zz-", "js-", "eq-", "全部单位督办群"]
NOTICE = "国务院办公厅关于2031年部分节假日安排的通知\n一、元旦:1月1日(周三)放假1天,不调休。\n"


def others_in(text: str) -> list[str]:
    return [mark for mark in OTHERS if mark in text]


@pytest.fixture
def w(db, monkeypatch):
    """The place world with the 31 December reminders sent: copies to the office, robots that fail to answer."""
    monkeypatch.setenv("DUBAN_TODAY", EVE.isoformat())
    world = build_places(db)
    on_day = next(r for r in reminder_rules.list_rules(db, SYSTEM) if r.kind == "on_day")
    reminder_rules.save_rule(db, SYSTEM, "on_day", 0, rule_id=on_day.id, copy_office=True,
                             channels=("inapp", "webhook"))
    for name, department in (("郑州市民政局工作群", world.base.a), ("包头市民政局工作群", world.base.c),
                             ("全部单位督办群", None)):
        reminder_settings.add_webhook(db, SYSTEM, name, "json", "http://127.0.0.1:9/hook", None, department)
    assert jobs.run_job(db, SYSTEM, jobs.REMIND, DUE).status == "ran"
    return world


def _rule_state(db) -> list[tuple]:
    return [tuple(r) for r in db.conn.execute("SELECT id, kind, days, copy_office, channels, active "
                                              "FROM reminder_rules ORDER BY id")]


# ---- what is sent: only the office's own place's messages

def test_the_preview_holds_only_the_places_own_messages(db, w):
    bt, whole = actor(db, "bt-office"), actor(db, "bangong")
    everything = digest.decide_messages(db, EVE, dry_run=True)
    seen = [m for m in everything if rp.concerns(db, bt, m)]
    assert {i["title"] for m in seen for i in m.items} == {"发展普惠托育服务"}  # 包头's one task
    assert {m.name for m in seen} >= {"bt-minzheng", "包头市民政局工作群"}
    rows, _ = rp.preview(db, bt, EVE)
    assert rows and others_in(str(rows)) == []
    # the whole database's office previews every place's messages, the robot for every unit included
    rows, _ = rp.preview(db, whole, EVE)
    assert {"zz-minzheng", "js-minzheng", "郑州市民政局工作群", "全部单位督办群"} <= {r["收件人"] for r in rows}


def test_the_send_log_lists_only_the_places_own_messages_and_resends_only_those(db, w):
    bt, whole = actor(db, "bt-office"), actor(db, "bangong")
    mine, failed = rp.outbox_rows(db, bt, "")
    assert {r["收件人"] for r in mine} == {"bt-minzheng", "bt-office", "包头市民政局工作群"}
    assert others_in(str(mine)) == []
    assert failed == [r["编号"] for r in mine if r["收件人"] == "包头市民政局工作群"]  # the robot did not answer
    everything, all_failed = rp.outbox_rows(db, whole, "")
    assert len(everything) > len(mine) and "郑州市民政局工作群" in {r["收件人"] for r in everything}
    assert sum(outbox.counts(db, bt).values()) == len(mine)
    theirs = next(r["编号"] for r in everything if r["收件人"] == "郑州市民政局工作群")
    assert theirs in all_failed
    errors, _ = rp.send_again(db, bt, [theirs, *failed], DUE)
    assert errors == ["该消息不存在。"]  # 郑州's robot message is not 包头's to resend
    assert db.conn.execute("SELECT count(*) FROM audit_log WHERE action='重新发送' AND entity_id=?",
                           [theirs]).fetchone()[0] == 0


def test_the_robots_listed_are_the_places_own_units(db, w):
    assert [h["name"] for h in reminder_settings.list_webhooks(db, actor(db, "bt-office"))] == ["包头市民政局工作群"]
    assert len(reminder_settings.list_webhooks(db, actor(db, "bangong"))) == 3


def test_the_inbox_of_a_places_office_holds_only_its_places_tasks(db, w):
    mine = inbox.inbox(db, actor(db, "bt-office"))
    assert mine and "发展普惠托育服务" in mine[0]["body"]
    assert others_in(" ".join(f"{m['title']} {m['body']}" for m in mine)) == []
    above = " ".join(m["body"] for m in inbox.inbox(db, actor(db, "zz-office")))  # the check can fail:
    assert "新建街道综合养老服务中心" in above and "发展普惠托育服务" not in above  # 郑州 hears of 金水区, not 包头


# ---- what applies to every place: read by the place's office, changed only by the system's managers

@pytest.mark.parametrize("username", ["bt-office", "zz-office", "js-office"])
def test_a_places_office_changes_no_system_setting(db, w, username):
    office = actor(db, username)
    rules = _rule_state(db)
    settings = db.conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    hooks = db.conn.execute("SELECT id, active FROM webhooks ORDER BY id").fetchall()
    rule = reminder_rules.list_rules(db, office)[0]  # it reads the rules
    attempts = [
        lambda: reminder_rules.save_rule(db, office, "before", 5),
        lambda: reminder_rules.save_rule(db, office, rule.kind, rule.days, rule_id=rule.id, active=False),
        lambda: reminder_rules.delete_rule(db, office, rule.id),
        lambda: reminder_settings.save_smtp(db, office, host="smtp.example.cn", port=25, tls="none", user=None,
                                            sender=None),
        lambda: reminder_settings.save_general(db, office, {"remind_time": "07:00"}),
        lambda: reminder_settings.add_webhook(db, office, "新群", "json", "http://127.0.0.1:9/x"),
        lambda: reminder_settings.set_webhook_active(db, office, hooks[0][0], False),
        lambda: reminder_settings.delete_webhook(db, office, hooks[0][0]),
        lambda: send_test_email(db, office, "a@example.cn", DUE),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied, match="全系统设置,由系统管理员或全库办公室修改"):
            attempt()
    assert _rule_state(db) == rules
    assert db.conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall() == settings
    assert db.conn.execute("SELECT id, active FROM webhooks ORDER BY id").fetchall() == hooks
    ran, detail = rp.send_now(db, office, DUE)  # today's run reminds every place
    assert not ran and "全系统设置" in detail


@pytest.mark.parametrize("username", ["bangong", "xitong"])
def test_the_whole_database_office_and_the_system_administrator_change_them(db, w, username):
    manager = actor(db, username)
    rule_id = reminder_rules.save_rule(db, manager, "before", 5, channels=("inapp",))
    assert (rule_id, "before", 5) in [r[:3] for r in _rule_state(db)]
    reminder_settings.save_general(db, manager, {"remind_time": "07:15"})
    assert reminder_settings.general(db, manager)["remind_time"] == "07:15"
    hook = reminder_settings.add_webhook(db, manager, "二七区群", "json", "http://127.0.0.1:9/x", None, w.eq_dept)
    reminder_settings.delete_webhook(db, manager, hook)
    assert holidays.save(db, manager, holidays.read(NOTICE)) > 0
    assert holidays.remove_year(db, manager, 2031) > 0


def test_a_places_office_changes_no_holiday(db, w):
    holidays.save(db, actor(db, "bangong"), holidays.read(NOTICE))
    before = db.conn.execute("SELECT day, workday FROM holiday_days ORDER BY day").fetchall()
    office = actor(db, "bt-office")
    for attempt in (lambda: holidays.save(db, office, holidays.read(NOTICE.replace("1月1日(周三)", "1月2日(周四)"))),
                    lambda: holidays.remove_year(db, office, 2031)):
        with pytest.raises(AccessDenied, match="本地区办公室只能查看"):
            attempt()
    assert db.conn.execute("SELECT day, workday FROM holiday_days ORDER BY day").fetchall() == before
    holidays.remove_year(db, actor(db, "bangong"), 2031)  # this process's calendar back as it was


def test_backups_status_and_the_overdue_check_are_refused_to_a_places_office(db, w, tmp_path):
    office, out = actor(db, "bt-office"), tmp_path / "backups"
    out.mkdir()
    db.conn.execute("UPDATE instances SET overdue_since=NULL")
    with pytest.raises(AccessDenied, match="全系统设置"):
        backups.create_backup(db, out / "b.tar.gz", actor=office)
    with pytest.raises(AccessDenied, match="全系统设置"):
        backups.restore(out / "b.tar.gz", actor=office)
    with pytest.raises(AccessDenied, match="全系统设置"):
        system_status.gather(db, tmp_path / "x.db", DUE, actor=office)
    for attempt in (lambda: check.overdue_scan(db, DUE, actor=office),
                    lambda: jobs.run_job(db, office, jobs.OVERDUE, DUE, once_per_day=False)):
        with pytest.raises(AccessDenied, match="全系统设置"):
            attempt()
    assert not list(out.iterdir())
    assert db.conn.execute("SELECT count(*) FROM instances WHERE overdue_since IS NOT NULL").fetchone()[0] == 0
    assert check.overdue_scan(db, DUE, actor=actor(db, "xitong"))  # the system administrator runs it
    db_file = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert system_status.gather(db, db_file, DUE, actor=actor(db, "bangong"))["jobs"]


# ---- the pages

def test_the_settings_page_of_a_places_office_is_read_only_and_of_its_place(db, w):
    at = app_as(db, "bt-office", "pages/reminders.py")
    at.button(key="remind_preview").click().run()
    assert not at.exception
    text = drawn_text(at)
    assert "bt-minzheng" in text and "包头市民政局工作群" in text  # its own place's preview, log and robot
    assert others_in(text) == []
    assert sum("全系统设置,由系统管理员或全库办公室修改" in i.value for i in at.info) == 4  # rules, mail, robots, times
    assert not at.get("form") and not at.text_input
    shown = {b.key for b in at.button}
    assert not shown & {"remind_run_now", "rule_delete", "smtp_test_send"}
    assert not any(k.startswith("hook_") for k in shown)


def test_the_settings_page_of_the_system_administrator_changes_settings_and_shows_no_task(db, w):
    at = app_as(db, "xitong", "pages/reminders.py")
    at.button(key="remind_preview").click().run()
    assert not at.exception
    assert "zz-minzheng" in drawn_text(at)  # every place's messages
    assert {"remind_run_now", "smtp_test_send"} <= {b.key for b in at.button} and at.get("form")
    assert not any(title in drawn_text(at) for title in ("建设社区嵌入式养老服务设施", "发展普惠托育服务"))
    at.text_input(key="gen_remind_time").set_value("09:05")
    at.button(key="FormSubmitter:general_form-保存").click().run()
    assert not at.exception and any("已保存" in s.value for s in at.success)
    assert reminder_settings.general(db, SYSTEM)["remind_time"] == "09:05"


def test_the_holiday_page_is_read_only_to_a_places_office(db, w):
    at = app_as(db, "bt-office", "pages/holidays.py")
    assert not at.exception
    assert any("全系统设置,由系统管理员或全库办公室修改" in i.value for i in at.info)
    assert not at.text_area and not [b for b in at.button if b.key != "logout"]
    for manager in ("bangong", "xitong"):
        at = app_as(db, manager, "pages/holidays.py")
        assert not at.exception and at.text_area(key="holiday_text")
