-- Each task and meeting belongs to one place, the office of that place owns it; a task dispatched (下达) to a
-- lower place's office names the upper task it came from, and whether that office has accepted it yet.
ALTER TABLE tasks ADD COLUMN jurisdiction_id INTEGER REFERENCES jurisdictions(id);
ALTER TABLE tasks ADD COLUMN parent_task_id INTEGER REFERENCES tasks(id);
ALTER TABLE tasks ADD COLUMN dispatch_state TEXT CHECK (dispatch_state IN ('待接收', '已接收'));
UPDATE tasks SET jurisdiction_id = (SELECT p.jurisdiction_id FROM plans p WHERE p.id = tasks.plan_id)
 WHERE plan_id IS NOT NULL;
-- a task from outside a plan (a decision, an instruction) belongs to the place of its lead unit
UPDATE tasks SET jurisdiction_id = (
    SELECT d.jurisdiction_id FROM task_units u JOIN departments d ON d.id = u.department_id
     WHERE u.task_id = tasks.id ORDER BY u.role = 'lead' DESC, u.position LIMIT 1)
 WHERE jurisdiction_id IS NULL;
CREATE INDEX tasks_jurisdiction ON tasks(jurisdiction_id, removed);
CREATE INDEX tasks_parent ON tasks(parent_task_id);

ALTER TABLE meetings ADD COLUMN jurisdiction_id INTEGER REFERENCES jurisdictions(id);
UPDATE meetings SET jurisdiction_id = (
    SELECT min(p.jurisdiction_id) FROM meeting_plans mp JOIN plans p ON p.id = mp.plan_id
     WHERE mp.meeting_id = meetings.id);
UPDATE meetings SET jurisdiction_id = (
    SELECT min(d.jurisdiction_id) FROM meeting_units mu JOIN departments d ON d.id = mu.department_id
     WHERE mu.meeting_id = meetings.id)
 WHERE jurisdiction_id IS NULL;
CREATE INDEX meetings_jurisdiction ON meetings(jurisdiction_id, date);

-- A plan's task belongs to the plan's place however it was stored, and follows the plan if it moves.
CREATE TRIGGER tasks_place_from_plan AFTER INSERT ON tasks
 WHEN NEW.jurisdiction_id IS NULL AND NEW.plan_id IS NOT NULL
BEGIN
    UPDATE tasks SET jurisdiction_id = (SELECT jurisdiction_id FROM plans WHERE id = NEW.plan_id) WHERE id = NEW.id;
END;
CREATE TRIGGER tasks_follow_plan_place AFTER UPDATE OF jurisdiction_id ON plans
BEGIN
    UPDATE tasks SET jurisdiction_id = NEW.jurisdiction_id WHERE plan_id = NEW.id;
END;
-- a task from outside a plan stored with no place takes its lead unit's when its units are written
CREATE TRIGGER tasks_place_from_lead AFTER INSERT ON task_units WHEN NEW.role = 'lead'
BEGIN
    UPDATE tasks SET jurisdiction_id = (SELECT jurisdiction_id FROM departments WHERE id = NEW.department_id)
     WHERE id = NEW.task_id AND jurisdiction_id IS NULL AND plan_id IS NULL;
END;
