-- Indexes for the 总览 dashboard and the task list's filters (db/queries/overview.py).
-- A task's earliest open deadline instance (its light) is read through instances_task_state (002).
-- Month timeline and due windows over all tasks, read from the index alone.
CREATE INDEX IF NOT EXISTS overview_instances_state_due_task ON instances(state, due, task_id);
-- Department bars: lead / co counts per department, and a task's units by role.
CREATE INDEX IF NOT EXISTS overview_task_units_task_role ON task_units(task_id, role, department_id);
CREATE INDEX IF NOT EXISTS overview_task_units_department_role ON task_units(department_id, role, task_id);
-- The few tasks a revised plan removed, excluded from every count.
CREATE INDEX IF NOT EXISTS overview_tasks_removed ON tasks(id) WHERE removed = 1;
