from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.importer import file_format, import_cities


class Command(BaseCommand):
    help = (
        "Import cities and memberships from a CSV file with the header "
        "name,country,region,coalition,latitude,longitude,population,joined_on,status,website"
        "[,local_name], or from a GeoJSON FeatureCollection (.geojson/.json) as the GeoJSON "
        "export writes it. Every row is checked first; if any is bad, nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV or GeoJSON file (UTF-8)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")

        def progress(phase: str, done: int, total: int) -> None:
            of = f"/{total}" if total else ""
            self.stderr.write(f"  {phase} {done}{of} rows")

        with file.open("rb") as stream:
            head = stream.read(64)
            stream.seek(0)
            result = import_cities(
                stream,
                dry_run=dry_run,
                source=file.name,
                progress=progress,
                file_format=file_format(file.name, head) or "csv",
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(self.style.ERROR(str(error)))
            raise CommandError(f"Nothing imported: {len(result.errors)} bad row(s) in {file.name}.")
        prefix = "Dry run, nothing written. Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(f"{prefix} {result.rows} rows from {file.name}: {result.summary()}.")
        )
