-- Earlier versions of a plan (a revised document keeps the plan's id; its predecessors are kept here).
CREATE TABLE plan_versions (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    source_name  TEXT,
    source_hash  TEXT,
    extraction   TEXT,
    imported_at  TEXT,
    replaced_at  TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX plan_versions_plan ON plan_versions(plan_id, version);
CREATE INDEX plan_versions_hash ON plan_versions(source_hash);

-- The task list's light: next open due and last finished due per task, read from the index alone.
CREATE INDEX instances_task_state ON instances(task_id, state, due);
-- Overdue lists on the overview: open instances by due date that were flagged.
CREATE INDEX instances_overdue ON instances(overdue_since) WHERE overdue_since IS NOT NULL;
-- A task's units lead first in the order written, with the department, read from the index alone.
CREATE INDEX task_units_task ON task_units(task_id, role DESC, position, department_id);
