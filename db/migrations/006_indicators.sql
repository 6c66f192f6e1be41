-- Indicators: reported actuals stay as written (append-only), demo rows are marked, and the 指标 page's
-- filters have indexes.
ALTER TABLE indicator_actuals ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;

CREATE INDEX indicators_category ON indicators(category, nature);
CREATE INDEX indicator_actuals_department ON indicator_actuals(department_id, created_at);

-- A reported value is never changed or removed: a correction is a new row for the same year.
-- (Removing the indicator itself still removes its history through ON DELETE CASCADE.)
CREATE TRIGGER indicator_actuals_no_update BEFORE UPDATE ON indicator_actuals
BEGIN
    SELECT RAISE(ABORT, '指标实际值只能追加,不能修改。');
END;

CREATE TRIGGER indicator_actuals_no_delete BEFORE DELETE ON indicator_actuals
WHEN EXISTS (SELECT 1 FROM indicators WHERE id = OLD.indicator_id)
BEGIN
    SELECT RAISE(ABORT, '指标实际值只能追加,不能删除。');
END;
