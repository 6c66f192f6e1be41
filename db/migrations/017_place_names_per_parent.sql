-- A place's name is unique under its parent only: 市中区 and 高新区 are in many cities. SQLite cannot drop the
-- column's UNIQUE in place, so the table is rebuilt with every column it had (foreign keys are off meanwhile;
-- the ids, and so every reference to a place, stay the same).
CREATE TABLE jurisdictions_rebuilt (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    parent_id INTEGER REFERENCES jurisdictions(id),
    level     TEXT CHECK (level IN ('province', 'city', 'county', 'township'))
);
INSERT INTO jurisdictions_rebuilt (id, name, parent_id, level) SELECT id, name, parent_id, level FROM jurisdictions;
DROP TABLE jurisdictions;
ALTER TABLE jurisdictions_rebuilt RENAME TO jurisdictions;
CREATE UNIQUE INDEX jurisdictions_name ON jurisdictions(coalesce(parent_id, 0), name);
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);
