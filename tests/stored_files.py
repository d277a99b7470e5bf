"""The files rows point to, kept in memory and put back: the demo's and @built_once's.

Each governance test has its own storage folder (tests/governance/conftest.py), so the
files a shared load stored (letters, PDFs) are read once and stored again, when missing,
in the storage each test finds.
"""

from __future__ import annotations

from django.apps import apps
from django.core.files.base import ContentFile
from django.db.models import FileField

#: A stored file: its model, its field's name, its name in storage, its content.
StoredFile = tuple[type, str, str, bytes]


def names() -> set[tuple[type, str, str]]:
    """Every file name in a file field of a row, with its model and field."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FileField):
                values = model._base_manager.exclude(**{field.attname: ""}).values_list(
                    field.attname, flat=True
                )
                found |= {(model, field.name, name) for name in values if name}
    return found


def read(which: set[tuple[type, str, str]], *, delete: bool = False) -> list[StoredFile]:
    """The content of those files that exist in their storage (deleted there, if asked)."""
    files = []
    for model, field_name, name in sorted(which, key=lambda f: (f[0]._meta.label, f[1:])):
        storage = model._meta.get_field(field_name).storage
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                files.append((model, field_name, name, handle.read()))
            if delete:
                storage.delete(name)
    return files


def restore(files: list[StoredFile]) -> None:
    """Each file stored again under its name, where the field's storage now lacks it."""
    for model, field_name, name, content in files:
        storage = model._meta.get_field(field_name).storage
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
