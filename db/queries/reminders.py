"""Reminder rules, settings, robots, the outbox and its log, job leases and runs, numbered notices."""
from __future__ import annotations

import sqlite_utils

from db.queries.sql import marks
from db.queries.visibility import of_places

# ---- rules ---------------------------------------------------------------------------------------

RULE_COLUMNS = ("kind", "days", "to_co", "copy_office", "channels", "active", "note")


def rules(db: sqlite_utils.Database, active_only: bool = False) -> list[dict]:
    sql = "SELECT * FROM reminder_rules"
    if active_only:
        sql += " WHERE active=1"
    sql += (" ORDER BY CASE kind WHEN 'before' THEN 0 WHEN 'on_day' THEN 1 WHEN 'overdue' THEN 2 WHEN 'meeting' THEN 3 "
            "WHEN 'report_before' THEN 4 WHEN 'report_on_day' THEN 5 ELSE 6 END, days DESC, id")
    return [dict(r) for r in db.conn.execute(sql)]


def rule_count(db: sqlite_utils.Database) -> int:
    return db.conn.execute("SELECT count(*) FROM reminder_rules").fetchone()[0]


def rule_by_id(db: sqlite_utils.Database, rule_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM reminder_rules WHERE id=?", [rule_id]).fetchone()
    return dict(row) if row else None


def rule_by_kind_days(db: sqlite_utils.Database, kind: str, days: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM reminder_rules WHERE kind=? AND days=?", [kind, days]).fetchone()
    return dict(row) if row else None


def insert_rule(db: sqlite_utils.Database, values: dict) -> int:
    cols = [c for c in RULE_COLUMNS if c in values]
    cur = db.conn.execute(
        f"INSERT INTO reminder_rules ({', '.join(cols)}) VALUES ({marks(cols)})",
        [values[c] for c in cols])
    return cur.lastrowid


def update_rule(db: sqlite_utils.Database, rule_id: int, values: dict) -> None:
    cols = [c for c in RULE_COLUMNS if c in values]
    db.conn.execute(
        f"UPDATE reminder_rules SET {', '.join(c + '=?' for c in cols)}, updated_at=datetime('now') WHERE id=?",
        [values[c] for c in cols] + [rule_id])


def delete_rule(db: sqlite_utils.Database, rule_id: int) -> None:
    db.conn.execute("DELETE FROM reminder_rules WHERE id=?", [rule_id])




# ---- what is due: open instances with their task, plan and units ----------------------------------

def open_instances_between(db: sqlite_utils.Database, first_due: str, last_due: str,
                           department_ids: list[int] | None = None,
                           places: frozenset[int] | None = None) -> list[dict]:
    """Open deadline instances due in [first_due, last_due] of live tasks (of these departments, of tasks of
    these places), one row per responsible unit, with the task's place."""
    sql = """
        SELECT i.id AS instance_id, i.due, i.period_label, i.overdue_since,
               t.id AS task_id, t.number, t.seq, t.title, t.status, t.progress, t.created_at,
               (SELECT MAX(f.due) FROM instances f WHERE f.task_id = t.id AND f.state <> 'open') AS last_done,
               p.id AS plan_id, p.title AS plan_title, p.period_start AS plan_start,
               t.jurisdiction_id AS place_id, j.name AS jurisdiction,
               u.department_id, u.role, d.name AS department
        FROM instances i
        JOIN tasks t ON t.id = i.task_id
        LEFT JOIN plans p ON p.id = t.plan_id
        LEFT JOIN jurisdictions j ON j.id = t.jurisdiction_id
        JOIN task_units u ON u.task_id = t.id
        JOIN departments d ON d.id = u.department_id
        WHERE i.state = 'open' AND i.due BETWEEN ? AND ?
          AND t.removed = 0 AND t.status <> '已销号'
    """
    params: list = [first_due, last_due]
    if department_ids is not None:
        sql += f" AND u.department_id IN ({marks(department_ids)})"
        params += list(department_ids)
    sql += " AND " + of_places("t.jurisdiction_id", places, params)
    sql += " ORDER BY i.due, t.plan_id, t.seq, t.id, u.position"
    return [dict(r) for r in db.conn.execute(sql, params)]


def department_instances(db: sqlite_utils.Database, department_id: int,
                         places: frozenset[int] | None = None) -> list[dict]:
    """Every deadline instance of a department's live tasks (of these places; None: all), for its calendar."""
    args: list = [department_id]
    place = of_places("t.jurisdiction_id", places, args)
    rows = db.conn.execute(f"""
        SELECT i.id AS instance_id, i.due, i.period_label, i.state, t.id AS task_id, t.number, t.title,
               t.status, p.title AS plan_title, u.role, d.name AS department
        FROM task_units u
        JOIN tasks t ON t.id = u.task_id AND t.removed = 0
        JOIN instances i ON i.task_id = t.id
        LEFT JOIN plans p ON p.id = t.plan_id
        JOIN departments d ON d.id = u.department_id
        WHERE u.department_id = ? AND {place}
        ORDER BY i.due, t.id
    """, args)
    return [dict(r) for r in rows]


def department(db: sqlite_utils.Database, department_id: int) -> dict | None:
    row = db.conn.execute("""
        SELECT d.*, j.name AS jurisdiction FROM departments d
        LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE d.id=?""", [department_id]).fetchone()
    return dict(row) if row else None


def departments(db: sqlite_utils.Database, places: frozenset[int] | None = None) -> list[dict]:
    """Departments with their place's name (of these places; None: all), by place and name."""
    args: list = []
    rows = db.conn.execute(f"""
        SELECT d.id, d.name, d.liaison_name, d.liaison_email, d.jurisdiction_id, j.name AS jurisdiction
        FROM departments d LEFT JOIN jurisdictions j ON j.id = d.jurisdiction_id
        WHERE {of_places("d.jurisdiction_id", places, args)} ORDER BY j.name, d.name""", args)
    return [dict(r) for r in rows]


def department_users(db: sqlite_utils.Database, department_ids: list[int]) -> list[dict]:
    """Active liaison accounts of these departments, with the department each answers for."""
    if not department_ids:
        return []
    rows = db.conn.execute(f"""
        SELECT u.id, u.username, u.display_name, u.email, u.role, ud.department_id
        FROM user_departments ud JOIN users u ON u.id = ud.user_id
        WHERE ud.department_id IN ({marks(department_ids)}) AND u.active = 1
        ORDER BY u.id""", list(department_ids))
    return [dict(r) for r in rows]


def office_users(db: sqlite_utils.Database) -> list[dict]:
    """Active office accounts, with their place (None: the whole database)."""
    rows = db.conn.execute("SELECT id, username, display_name, email, jurisdiction_id FROM users "
                           "WHERE role='office' AND active=1 ORDER BY id")
    return [dict(r) for r in rows]


# ---- robots --------------------------------------------------------------------------------------

def webhooks(db: sqlite_utils.Database, active_only: bool = False) -> list[dict]:
    sql = """SELECT w.*, d.name AS department, d.jurisdiction_id AS place_id FROM webhooks w
             LEFT JOIN departments d ON d.id = w.department_id"""
    if active_only:
        sql += " WHERE w.active = 1"
    return [dict(r) for r in db.conn.execute(sql + " ORDER BY w.id")]


def webhook_by_id(db: sqlite_utils.Database, webhook_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM webhooks WHERE id=?", [webhook_id]).fetchone()
    return dict(row) if row else None


def insert_webhook(db: sqlite_utils.Database, name: str, kind: str, url: str, secret: str | None,
                   department_id: int | None) -> int:
    cur = db.conn.execute("INSERT INTO webhooks (name, kind, url, secret, department_id) VALUES (?,?,?,?,?)",
                          [name, kind, url, secret, department_id])
    return cur.lastrowid


def set_webhook_secrets(db: sqlite_utils.Database, webhook_id: int, url: str, secret: str | None) -> None:
    db.conn.execute("UPDATE webhooks SET url=?, secret=? WHERE id=?", [url, secret, webhook_id])


def set_webhook_active(db: sqlite_utils.Database, webhook_id: int, active: bool) -> None:
    db.conn.execute("UPDATE webhooks SET active=? WHERE id=?", [int(active), webhook_id])


def delete_webhook(db: sqlite_utils.Database, webhook_id: int) -> None:
    db.conn.execute("DELETE FROM webhooks WHERE id=?", [webhook_id])


# ---- the log and the outbox ----------------------------------------------------------------------

def log_once(db: sqlite_utils.Database, instance_id: int, rule_id: int, ref: str, recipient: str,
             channel: str, day: str) -> bool:
    """Record one reminder; False when it was recorded before (someone already sent it)."""
    cur = db.conn.execute(
        "INSERT OR IGNORE INTO notification_log (instance_id, rule_id, ref, recipient, channel, day) "
        "VALUES (?,?,?,?,?,?)", [instance_id, rule_id, ref, recipient, channel, day])
    return cur.rowcount == 1


def attach_log(db: sqlite_utils.Database, outbox_id: int, keys: list[tuple]) -> None:
    db.conn.executemany(
        "UPDATE notification_log SET outbox_id=? WHERE instance_id=? AND rule_id=? AND ref=? AND recipient=? "
        "AND channel=? AND day=?", [(outbox_id, *k) for k in keys])


def ref_logged(db: sqlite_utils.Database, ref: str) -> bool:
    return db.conn.execute("SELECT 1 FROM notification_log WHERE ref=? LIMIT 1", [ref]).fetchone() is not None


def recipient_places(db: sqlite_utils.Database, department_id: int | None, user_id: int | None) -> set[int]:
    """The places a message's recipient belongs to: its unit's; else its account's and its account's units'
    (none for a message to every unit or to the office's own address)."""
    if department_id is not None:
        rows = db.conn.execute("SELECT jurisdiction_id FROM departments WHERE id = ?", [department_id])
    elif user_id is not None:
        rows = db.conn.execute("""
            SELECT jurisdiction_id FROM users WHERE id = ?
            UNION SELECT d.jurisdiction_id FROM user_departments ud JOIN departments d ON d.id = ud.department_id
            WHERE ud.user_id = ?""", [user_id, user_id])
    else:
        return set()
    return {r[0] for r in rows if r[0] is not None}


def outbox_for(db: sqlite_utils.Database, kind: str, channel: str, recipient: str, day: str,
               ref: str = "") -> dict | None:
    row = db.conn.execute("SELECT * FROM outbox WHERE kind=? AND channel=? AND recipient=? AND day=? AND ref=?",
                          [kind, channel, recipient, day, ref]).fetchone()
    return dict(row) if row else None


def insert_outbox(db: sqlite_utils.Database, values: dict) -> int:
    cols = list(values)
    cur = db.conn.execute(f"INSERT INTO outbox ({', '.join(cols)}) VALUES ({marks(cols)})",
                          [values[c] for c in cols])
    return cur.lastrowid


def update_outbox_content(db: sqlite_utils.Database, outbox_id: int, subject: str, body: str, payload: str) -> None:
    db.conn.execute("UPDATE outbox SET subject=?, body=?, payload=? WHERE id=?", [subject, body, payload, outbox_id])


def outbox_by_id(db: sqlite_utils.Database, outbox_id: int) -> dict | None:
    row = db.conn.execute("SELECT * FROM outbox WHERE id=?", [outbox_id]).fetchone()
    return dict(row) if row else None


def due_outbox(db: sqlite_utils.Database, now: str, stale_before: str, limit: int = 500) -> list[dict]:
    """Messages waiting to go out now: new, failed and past their backoff, or stuck in 'sending' too long."""
    rows = db.conn.execute("""
        SELECT * FROM outbox
        WHERE (status IN ('pending', 'failed') AND next_attempt_at <= ?)
           OR (status = 'sending' AND claimed_at < ?)
        ORDER BY id LIMIT ?""", [now, stale_before, limit])
    return [dict(r) for r in rows]


def claim_outbox(db: sqlite_utils.Database, outbox_id: int, holder: str, now: str, stale_before: str) -> bool:
    """Take one message for sending; False when another sender has it or it went out already."""
    cur = db.conn.execute("""
        UPDATE outbox SET status='sending', claimed_by=?, claimed_at=?
        WHERE id=? AND ((status IN ('pending', 'failed') AND next_attempt_at <= ?)
                        OR (status='sending' AND claimed_at < ?))""",
                          [holder, now, outbox_id, now, stale_before])
    return cur.rowcount == 1


def mark_sent(db: sqlite_utils.Database, outbox_id: int, now: str) -> None:
    db.conn.execute("UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1, last_error=NULL, "
                    "claimed_by=NULL WHERE id=?", [now, outbox_id])


def mark_failed(db: sqlite_utils.Database, outbox_id: int, error: str, next_attempt_at: str, give_up: bool) -> None:
    db.conn.execute("UPDATE outbox SET status=?, attempts=attempts+1, last_error=?, next_attempt_at=?, "
                    "claimed_by=NULL WHERE id=?",
                    ["abandoned" if give_up else "failed", error[:1000], next_attempt_at, outbox_id])


def retry_outbox(db: sqlite_utils.Database, outbox_id: int, now: str) -> int:
    cur = db.conn.execute("UPDATE outbox SET status='failed', next_attempt_at=? WHERE id=? "
                          "AND status IN ('failed', 'abandoned')", [now, outbox_id])
    return cur.rowcount


def of_places_outbox(places: frozenset[int] | None, args: list) -> str:
    """SQL on outbox `o`: a message to a unit, robot or account of these places that carries only their tasks'
    items (None: every message). A message to every unit, to the office's own address or to a whole-database
    account concerns every place, and is none of one place's business."""
    if places is None:
        return "1=1"
    ids = list(places) or [-1]
    m = marks(ids)
    args.extend(ids * 4)
    return f"""((o.department_id IN (SELECT id FROM departments WHERE jurisdiction_id IN ({m}))
                 OR (o.department_id IS NULL AND o.user_id IS NOT NULL
                     AND (o.user_id IN (SELECT id FROM users WHERE jurisdiction_id IN ({m}))
                          OR o.user_id IN (SELECT ud.user_id FROM user_departments ud
                                           JOIN departments d ON d.id = ud.department_id
                                           WHERE d.jurisdiction_id IN ({m})))))
                AND NOT EXISTS (SELECT 1 FROM json_each(coalesce(o.payload, '{{}}'), '$.items') it
                                WHERE coalesce(json_extract(it.value, '$.place_id'), -1) NOT IN ({m})))"""


def recent_outbox(db: sqlite_utils.Database, status: str | None = None, limit: int = 200,
                  places: frozenset[int] | None = None) -> list[dict]:
    """Newest messages first (of these places; None: all), with a readable recipient (an account's name, a
    robot's name, an address)."""
    sql = """SELECT o.id, o.kind, o.channel, o.recipient, o.day, o.subject, o.status, o.attempts,
                    o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
                    CASE o.channel WHEN 'inapp' THEN coalesce(u.display_name, u.username, o.recipient)
                                   WHEN 'webhook' THEN coalesce(w.name, o.recipient)
                                   ELSE o.recipient END AS recipient_name
             FROM outbox o
             LEFT JOIN users u ON u.id = o.user_id
             LEFT JOIN webhooks w ON o.channel = 'webhook' AND o.recipient = 'webhook:' || w.id"""
    params: list = []
    sql += " WHERE " + of_places_outbox(places, params)
    if status:
        sql += " AND o.status IN (" + marks(status.split(",")) + ")"
        params += status.split(",")
    sql += " ORDER BY o.id DESC LIMIT ?"
    return [dict(r) for r in db.conn.execute(sql, params + [limit])]


def outbox_counts(db: sqlite_utils.Database, places: frozenset[int] | None = None) -> dict[str, int]:
    """How many messages (of these places; None: all) are in each state."""
    args: list = []
    where = of_places_outbox(places, args)
    return {r[0]: r[1] for r in db.conn.execute(f"SELECT status, count(*) FROM outbox o WHERE {where} "
                                                "GROUP BY status", args)}


def outbox_seen(db: sqlite_utils.Database, outbox_id: int, places: frozenset[int] | None) -> bool:
    """Whether a message is one of these places' (None: any message that exists)."""
    args: list = [outbox_id]
    where = of_places_outbox(places, args)
    return db.conn.execute(f"SELECT 1 FROM outbox o WHERE o.id = ? AND {where}", args).fetchone() is not None


# ---- leases and job runs -------------------------------------------------------------------------

def take_lease(db: sqlite_utils.Database, job: str, holder: str, now: float, expires_at: float) -> bool:
    """Hold the job's lease unless someone else holds an unexpired one (call inside a write transaction)."""
    cur = db.conn.execute("""
        INSERT INTO job_leases (job, holder, expires_at) VALUES (?, ?, ?)
        ON CONFLICT(job) DO UPDATE SET holder=excluded.holder, expires_at=excluded.expires_at
        WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < ?""", [job, holder, expires_at, now])
    return cur.rowcount == 1


def take_lease_from(db: sqlite_utils.Database, job: str, old_holder: str, holder: str, expires_at: float) -> bool:
    """Take over the lease of a holder known to be gone (only if that holder still has it)."""
    cur = db.conn.execute("UPDATE job_leases SET holder=?, expires_at=? WHERE job=? AND holder=?",
                          [holder, expires_at, job, old_holder])
    return cur.rowcount == 1


def renew_lease(db: sqlite_utils.Database, job: str, holder: str, expires_at: float) -> bool:
    """Push our lease's expiry on; False when it is no longer ours."""
    cur = db.conn.execute("UPDATE job_leases SET expires_at=? WHERE job=? AND holder=?", [expires_at, job, holder])
    return cur.rowcount == 1


def database_file(db: sqlite_utils.Database) -> str | None:
    """The main database's file ('' or None in memory)."""
    for row in db.conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2] or None
    return None


def close_interrupted_runs(db: sqlite_utils.Database, job: str, holder: str, detail: str) -> int:
    """Close the job's runs left 'running' by earlier holders (call while holding the job's lease)."""
    cur = db.conn.execute("UPDATE job_runs SET status='error', detail=?, finished_at=datetime('now') "
                          "WHERE job=? AND status='running' AND coalesce(holder, '') <> ?", [detail, job, holder])
    return cur.rowcount


def sending_outbox(db: sqlite_utils.Database) -> list[dict]:
    """Messages a sender claimed and has not yet marked sent or failed."""
    return [dict(r) for r in db.conn.execute(
        "SELECT id, channel, recipient, claimed_by, claimed_at FROM outbox WHERE status='sending' ORDER BY id")]


def mark_interrupted(db: sqlite_utils.Database, outbox_id: int, claimed_by: str | None, error: str) -> bool:
    """Stop a message whose sender died mid-send from going out again by itself (the office decides)."""
    cur = db.conn.execute("UPDATE outbox SET status='abandoned', last_error=?, claimed_by=NULL "
                          "WHERE id=? AND status='sending' AND claimed_by IS ?", [error[:1000], outbox_id, claimed_by])
    return cur.rowcount == 1


def release_lease(db: sqlite_utils.Database, job: str, holder: str) -> None:
    db.conn.execute("DELETE FROM job_leases WHERE job=? AND holder=?", [job, holder])


def lease(db: sqlite_utils.Database, job: str) -> dict | None:
    row = db.conn.execute("SELECT * FROM job_leases WHERE job=?", [job]).fetchone()
    return dict(row) if row else None


def start_run(db: sqlite_utils.Database, job: str, day: str, holder: str) -> int:
    return db.conn.execute("INSERT INTO job_runs (job, day, holder) VALUES (?,?,?)", [job, day, holder]).lastrowid


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, detail: str | None) -> None:
    db.conn.execute("UPDATE job_runs SET status=?, detail=?, finished_at=datetime('now') WHERE id=?",
                    [status, detail, run_id])


def last_ok_run_day(db: sqlite_utils.Database, job: str) -> str | None:
    row = db.conn.execute("SELECT max(day) FROM job_runs WHERE job=? AND status='ok'", [job]).fetchone()
    return row[0]


def ran_ok_on(db: sqlite_utils.Database, job: str, day: str) -> bool:
    return db.conn.execute("SELECT 1 FROM job_runs WHERE job=? AND day=? AND status='ok' LIMIT 1",
                           [job, day]).fetchone() is not None


def recent_runs(db: sqlite_utils.Database, limit: int = 20) -> list[dict]:
    return [dict(r) for r in db.conn.execute(
        "SELECT job, day, status, started_at, finished_at, detail FROM job_runs ORDER BY id DESC LIMIT ?", [limit])]


def runs_of(db: sqlite_utils.Database, job: str) -> list[dict]:
    return [dict(r) for r in db.conn.execute("SELECT * FROM job_runs WHERE job=? ORDER BY id", [job])]


# ---- numbered notices ----------------------------------------------------------------------------

def next_notice_seq(db: sqlite_utils.Database, word: str, year: int) -> int:
    row = db.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE word=? AND year=?", [word, year])
    return row.fetchone()[0]


def insert_notice(db: sqlite_utils.Database, word: str, year: int, seq: int, department_id: int, day: str,
                  reply_by: str, items: str, created_by: int | None) -> int:
    cur = db.conn.execute(
        "INSERT INTO notices (word, year, seq, department_id, day, reply_by, items, created_by) "
        "VALUES (?,?,?,?,?,?,?,?)", [word, year, seq, department_id, day, reply_by, items, created_by])
    return cur.lastrowid


def notices(db: sqlite_utils.Database, limit: int = 50) -> list[dict]:
    return [dict(r) for r in db.conn.execute("""
        SELECT n.id, n.word, n.year, n.seq, n.day, n.reply_by, n.created_at, d.name AS department
        FROM notices n JOIN departments d ON d.id = n.department_id ORDER BY n.id DESC LIMIT ?""", [limit])]
