"""Import of cities and memberships from CSV or GeoJSON: validate everything, then write all
or nothing.

A CSV file has the header of the directory's CSV export (so an export can be
re-imported as it is; local_name may be left out)::

    name,country,region,coalition,latitude,longitude,population,joined_on,status,website,local_name

A GeoJSON file is a FeatureCollection of Points as the GeoJSON export writes it
(importer/geojson.py); each feature is read into the same cells and checked by the
same row form, and its problems are named by feature number.

A city is identified by its name (case-insensitively) and country; a membership
by its city and coalition. Empty optional fields leave what is recorded as it
is, so re-importing a file changes nothing. Status changes go through
services.change_membership_status, so the membership history is kept.

The package, one concept a module:

- rows.py      the columns (CSV_HEADER, shared with the exports), a valid `Row`, a `RowError`
- form.py      one line's cells checked by a form (`CityRowForm`), made a Row (`parse_row`)
- geojson.py   a GeoJSON FeatureCollection read into the same cells
- reading.py   a CSV or GeoJSON file read into valid rows, every bad line or feature named
- planning.py  the rows planned against what is recorded (and against each other)
- writing.py   the plans written through the services, each city in its own savepoint
- result.py    what an import reports (`ImportResult`) and its progress callback
- run.py       `import_cities` (the whole import) and `file_format`

The dry run and the import meet the same checks: both validate every line, then make every
write, each city in its own savepoint so that a row the services or the database refuse is
named and the next rows are still tried; the dry run (and an import with any bad row) then
rolls everything back.
"""

from members.importer.rows import CSV_HEADER
from members.importer.run import file_format, import_cities

__all__ = ["CSV_HEADER", "file_format", "import_cities"]
