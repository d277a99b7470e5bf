"""Uploaded PDFs are read by pypdf under tight limits: a hostile or broken file gets a form error.

Used by every upload that takes a PDF (the mayor's letter, report attachments).
pypdf reads leniently (strict=False) so that the odd but readable file of an
office suite passes, under a configuration that bounds the work a file can
cause: streams declared longer than the file itself, inflating past a few
megabytes, page trees deeper than a letter ever is, arrays of tens of thousands
of entries, all stop with pypdf's LimitReachedError, which is a form error here
like every other way pypdf can fail on bad input.

A PDF that carries scripts or launch actions is refused: the letters and
attachments are opened by the bureau and the committee on their own machines.
"""

from __future__ import annotations

import struct
import zlib

import pypdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

#: The most bytes one stream may inflate to (letters are text and scanned images,
#: and only page contents are decoded here, never images).
MAX_DECODED_STREAM_BYTES = 16 * 1024 * 1024
#: The most entries in one array or dictionary; pypdf's default is 100,000.
MAX_CONTAINER_ENTRIES = 20_000
#: The depth of a page tree; real files nest a few levels.
MAX_PAGE_TREE_DEPTH = 32
#: The most nodes in a page tree (pages and the nodes above them). pypdf parses each, about
#: 0.1 ms apiece: this bounds the check to well under a second.
MAX_PAGE_TREE_ENTRIES = 5_000
#: Objects looked at when searching for scripts (actions, annotations, form fields).
MAX_OBJECTS_INSPECTED = 20_000

#: Actions that run code or programs.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})


def _limits(size: int) -> dict:
    decoded = MAX_DECODED_STREAM_BYTES
    return {
        # A stream cannot be longer than the file that holds it.
        "maximum_declared_stream_length": max(size, 1),
        "array_based_stream_maximum_output_length": decoded,
        "array_maximum_element_count": MAX_CONTAINER_ENTRIES,
        "dictionary_maximum_element_count": MAX_CONTAINER_ENTRIES,
        "jbig2_maximum_output_length": decoded,
        "lzw_maximum_output_length": decoded,
        "run_length_maximum_output_length": decoded,
        "zlib_maximum_output_length": decoded,
        "zlib_maximum_recovery_input_length": decoded,
        "brotli_maximum_output_length": decoded,
        "image_maximum_buffer_size": decoded,
        "stream_decoding_work_maximum_length": 4 * decoded,
        "outline_maximum_entries": MAX_CONTAINER_ENTRIES,
        "page_tree_maximum_entries": MAX_PAGE_TREE_ENTRIES,
        "page_tree_maximum_depth": MAX_PAGE_TREE_DEPTH,
        "page_tree_maximum_page_entries": 10 * MAX_PAGE_TREE_ENTRIES,
        "form_fields_maximum_entries": MAX_CONTAINER_ENTRIES,
        "form_fields_maximum_depth": MAX_PAGE_TREE_DEPTH,
        "named_destinations_maximum_entries": MAX_CONTAINER_ENTRIES,
        "named_destinations_maximum_depth": MAX_PAGE_TREE_DEPTH,
        "jbig2dec_binary": None,  # never run an external decoder on an upload
        "disable_legacy_handling": True,
    }


def _read_failures() -> tuple[type[BaseException], ...]:
    """What pypdf raises on bad input: its own errors and the built-in ones its parser lets out.

    Not Exception: a bug of ours (NameError...) or MemoryError must still surface.
    """
    return (
        PyPdfError,  # PdfReadError, PdfStreamError, LimitReachedError, FileNotDecryptedError...
        DependencyError,  # an encryption scheme needing a library that is not installed
        NotImplementedError,  # an encryption handler or filter pypdf does not know
        ValueError,  # includes UnicodeDecodeError and binascii.Error
        TypeError,
        KeyError,
        IndexError,
        AttributeError,  # an object of the wrong type where a dictionary is expected
        ArithmeticError,
        RecursionError,
        OSError,
        EOFError,
        zlib.error,
        struct.error,
    )


class _Budget:
    def __init__(self, limit: int):
        self.left = limit
        self.seen: set[tuple] = set()

    def visit(self, obj) -> object | None:
        """The resolved object, or None if seen already; raises _TooComplex past the budget."""
        reference = getattr(obj, "indirect_reference", None)
        key = ("object", id(obj)) if reference is None else (reference.idnum, reference.generation)
        if key in self.seen:
            return None
        self.seen.add(key)
        self.left -= 1
        if self.left < 0:
            raise _TooComplex
        return obj.get_object() if hasattr(obj, "get_object") else obj


class _TooComplex(Exception):
    pass


def _array(value) -> list:
    value = value.get_object() if value is not None else None
    return list(value) if isinstance(value, list) else []


def _is_active_action(action, budget: _Budget) -> bool:
    """An action dictionary (following its /Next chain) that runs a script or a program."""
    pending = [action]
    while pending:
        current = budget.visit(pending.pop())
        if not isinstance(current, dict):  # pypdf's DictionaryObject is a dict
            continue
        if current.get("/S") in ACTIVE_ACTIONS or "/JS" in current:
            return True
        following = current.get("/Next")  # one action, or an array of them
        if following is not None:
            pending.extend(_array(following) or [following])
    return False


def _has_active_trigger(holder, budget: _Budget) -> bool:
    """A dictionary's /A action or any of its /AA (additional, automatic) actions is active."""
    action = holder.get("/A")
    if action is not None and _is_active_action(action, budget):
        return True
    triggers = holder.get("/AA")
    if triggers is not None:
        triggers = triggers.get_object()
        if hasattr(triggers, "values"):
            return any(_is_active_action(a, budget) for a in triggers.values())
    return False


def _carries_scripts(reader) -> bool:
    budget = _Budget(MAX_OBJECTS_INSPECTED)
    root = reader.root_object
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    # An /OpenAction is an action dictionary or a destination (an array, ignored).
    opening = root.get("/OpenAction")
    if opening is not None and _is_active_action(opening, budget):
        return True
    if _has_active_trigger(root, budget):
        return True
    for page in reader.pages:
        if _has_active_trigger(page, budget):
            return True
        for annotation in _array(page.get("/Annots")):
            annotation = budget.visit(annotation)
            if hasattr(annotation, "get") and _has_active_trigger(annotation, budget):
                return True
    form = root.get("/AcroForm")
    fields = _array(form.get_object().get("/Fields")) if form is not None else []
    while fields:
        field = budget.visit(fields.pop())
        if not hasattr(field, "get"):
            continue
        if _has_active_trigger(field, budget):
            return True
        fields.extend(_array(field.get("/Kids")))
    return False


def _read_page_contents(reader) -> None:
    """Parse every page's content streams (not decoded): their declared lengths are checked."""
    for page in reader.pages:
        contents = page.get("/Contents")
        if contents is None:
            continue
        contents = contents.get_object()
        for part in contents if isinstance(contents, list) else [contents]:
            part.get_object()


def _too_complex() -> ValidationError:
    return ValidationError(
        _("The PDF is too complex to check. Save it again as a plain PDF and upload that."),
        code="too_complex",
    )


def check_pdf(upload) -> int:
    """Read an uploaded PDF with bounded work; return its number of pages.

    Raises ValidationError (codes: damaged, encrypted, no_pages, scripts,
    too_complex) for a file the portal should not keep. The caller checks the
    size and the %PDF- header first.
    """
    size = getattr(upload, "size", 0) or 0
    upload.seek(0)
    try:
        with pypdf.apply_configuration(**_limits(size)):
            reader = pypdf.PdfReader(upload, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ValidationError(
                    _("The PDF is protected by a password. Upload a version without a password."),
                    code="encrypted",
                )
            pages = len(reader.pages)
            if pages < 1:
                raise ValidationError(_("The PDF has no pages."), code="no_pages")
            _read_page_contents(reader)
            if _carries_scripts(reader):
                raise ValidationError(
                    _(
                        "The PDF contains scripts or commands that would run when it is opened. "
                        "Save it again as a plain PDF (for example with “Print to PDF”) "
                        "and upload that."
                    ),
                    code="scripts",
                )
    except (_TooComplex, LimitReachedError) as exc:
        raise _too_complex() from exc
    except _read_failures() as exc:
        raise ValidationError(
            _("The PDF file is damaged and cannot be read. Export it again and upload it."),
            code="damaged",
        ) from exc
    finally:
        upload.seek(0)
    return pages
