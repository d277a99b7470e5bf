"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log.

A separate migration from the backfill before it: the chain is written first,
then the rows are sealed. SQLite has no such trigger (it is a laptop's database);
there the hash chain alone shows an edit. TRUNCATE is left alone, as the test
runner empties tables with it; whoever may truncate or drop triggers owns the
database, and the hash chain is what shows their edits.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION coalition_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on coalition_auditevent', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER coalition_auditevent_append_only
    BEFORE UPDATE OR DELETE ON coalition_auditevent
    FOR EACH ROW EXECUTE FUNCTION coalition_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS coalition_auditevent_append_only ON coalition_auditevent;
DROP FUNCTION IF EXISTS coalition_auditevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("coalition", "0003_auditevent_hash_chain"),
    ]

    operations = [
        # RunSQL cannot be limited to one database vendor; RunPython around it can.
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
