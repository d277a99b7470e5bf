"""@built_once data that stores a file: each test finds it in its own storage folder."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.demo import demo_email
from coalition.models import User
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.letters import minimal_pdf
from governance.models import AgendaDocument, AssemblySession
from governance.services import assemblies
from tests import built_once as shared
from tests.built_once import built_once


@built_once(on_the_demo=True)
def document():
    """A members' document added to the demo's next assembly, its PDF stored."""
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    return assemblies.add_agenda_document(
        actor=User.objects.get(email=demo_email("bureau")),
        item=session.items.first(),
        title="Stored once",
        upload=SimpleUploadedFile("stored.pdf", minimal_pdf(["Stored once"])),
        public=False,
    )


def test_the_file_the_build_stored_is_in_this_tests_storage(document, private_storage_in_tmp):
    assert shared.is_open()
    stored = AgendaDocument.objects.get(pk=document.pk)
    assert stored.file.path.startswith(str(private_storage_in_tmp))
    with stored.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")


def test_a_test_that_deletes_the_file_leaves_it_to_the_next(document):
    stored = AgendaDocument.objects.get(pk=document.pk)
    assert stored.file.storage.exists(stored.file.name)
    stored.file.storage.delete(stored.file.name)  # in this test's folder only
