"""A corpus of malformed and hostile PDFs, built in code so that each one says what it is.

Every upload form that takes a PDF must answer each of these with a form error
(never a 500, never minutes of work): see tests/governance/test_letter_corpus.py.
"""

from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter

from governance.letters import minimal_pdf

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def build_pdf(
    objects: list[bytes],
    *,
    trailer: bytes = b"",
    header: bytes = b"%PDF-1.7",
    size: int | None = None,
) -> bytes:
    """A PDF of the given objects (numbered from 1, the first is the catalog) and a true xref."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1 if size is None else size
    out += b"trailer\n<< /Size " + str(size).encode() + b" /Root 1 0 R " + trailer + b" >>\n"
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _catalog(extra: bytes = b"") -> bytes:
    return b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>"


def _one_page(catalog_extra: bytes = b"", page: bytes = PAGE, *more: bytes) -> bytes:
    return build_pdf(
        [_catalog(catalog_extra), b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, *more]
    )


def _deep_page_tree(depth: int) -> bytes:
    # 1 catalog, 2..depth+1 nested /Pages nodes each holding the next, then one page.
    objects = [_catalog()]
    for level in range(depth):
        number = 2 + level
        parent = b"" if level == 0 else f"/Parent {number - 1} 0 R ".encode()
        objects.append(
            b"<< /Type /Pages " + parent + f"/Kids [{number + 1} 0 R] /Count 1 >>".encode()
        )
    objects.append(f"<< /Type /Page /Parent {depth + 1} 0 R /MediaBox [0 0 9 9] >>".encode())
    return build_pdf(objects)


def _flate_stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return (
        b"<< /Length "
        + str(len(packed)).encode()
        + b" /Filter /FlateDecode "
        + extra
        + b" >>\nstream\n"
        + packed
        + b"\nendstream"
    )


def _xref_stream_bomb() -> bytes:
    """A cross-reference stream that inflates to hundreds of megabytes."""
    head = b"%PDF-1.7\n"
    catalog = b"1 0 obj\n" + _catalog() + b"\nendobj\n"
    pages = b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    offset = len(head) + len(catalog) + len(pages)
    stream = _flate_stream(
        b"\x00" * (400 * 1024 * 1024), b"/Type /XRef /Size 4 /W [1 4 1] /Root 1 0 R"
    )
    body = b"3 0 obj\n" + stream + b"\nendobj\n"
    return head + catalog + pages + body + f"startxref\n{offset}\n%%EOF\n".encode()


def _xref_stream(entries: bytes) -> bytes:
    """One page behind a cross-reference stream with the given /W, /Index... entries."""
    head = b"%PDF-1.7\n"
    body = (
        b"1 0 obj\n" + _catalog() + b"\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n" + PAGE + b"\nendobj\n"
    )
    offset = len(head) + len(body)
    stream = _flate_stream(b"\x01" * 64, b"/Type /XRef /Size 5 /Root 1 0 R " + entries)
    xref = b"4 0 obj\n" + stream + b"\nendobj\n"
    return head + body + xref + f"startxref\n{offset}\n%%EOF\n".encode()


def _object_stream_claiming(count: int) -> bytes:
    """The page lives in an object stream that declares `count` objects (and holds one)."""
    head = b"%PDF-1.7\n"
    one = b"1 0 obj\n" + _catalog() + b"\nendobj\n"
    two = b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    inside = b"3 0 " + PAGE
    four = (
        b"4 0 obj\n<< /Type /ObjStm /N "
        + str(count).encode()
        + b" /First 4 /Length "
        + str(len(inside)).encode()
        + b" >>\nstream\n"
        + inside
        + b"\nendstream\nendobj\n"
    )
    offsets = [len(head), len(head) + len(one), None, len(head) + len(one) + len(two)]
    xref_at = offsets[3] + len(four)
    rows = b"\x00\x00\x00\x00\x00\xff"
    for offset in offsets:
        if offset is None:  # object 3: in object stream 4, at index 0
            rows += b"\x02" + (4).to_bytes(4, "big") + b"\x00"
        else:
            rows += b"\x01" + offset.to_bytes(4, "big") + b"\x00"
    rows += b"\x01" + xref_at.to_bytes(4, "big") + b"\x00"
    xref = (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R /Length "
        + str(len(rows)).encode()
        + b" >>\nstream\n"
        + rows
        + b"\nendstream\nendobj\n"
    )
    return head + one + two + four + xref + f"startxref\n{xref_at}\n%%EOF\n".encode()


def _nested_arrays(depth: int) -> bytes:
    return _one_page(b"/Junk " + b"[" * depth + b"]" * depth)


def corpus() -> dict[str, bytes]:
    """name -> bytes of a PDF every upload must refuse."""
    good = minimal_pdf(["A letter"])
    return {
        "header_only": b"%PDF-1.7\n",
        "header_and_eof": b"%PDF-1.4\n%%EOF\n",
        "truncated_half": good[: len(good) // 2],
        "truncated_before_trailer": good[: good.index(b"xref")],
        "garbage_after_header": b"%PDF-1.4\n" + b"\x00garbage" * 50,
        "zero_pages": build_pdf([_catalog(), b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "count_lies_about_pages": build_pdf([_catalog(), b"<< /Type /Pages /Kids [] /Count 5 >>"]),
        "pages_missing": build_pdf([b"<< /Type /Catalog >>"]),
        "kids_point_nowhere": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [77 0 R 78 0 R] /Count 2 >>"]
        ),
        "kids_not_an_array": build_pdf([_catalog(), b"<< /Type /Pages /Kids 5 /Count 1 >>"]),
        "circular_kids_self": build_pdf([_catalog(), b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        "circular_kids_pair": build_pdf(
            [
                _catalog(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
            ]
        ),
        "page_tree_nested_very_deep": _deep_page_tree(3000),
        "page_tree_of_six_thousand_pages": build_pdf(
            [
                _catalog(),
                b"<< /Type /Pages /Count 6000 /Kids ["
                + b"".join(b"%d 0 R " % n for n in range(3, 6003))
                + b"] >>",
            ]
            + [PAGE] * 6000
        ),
        "wide_page_tree": build_pdf(
            [
                _catalog(),
                b"<< /Type /Pages /Kids [" + b"3 0 R " * 300_000 + b"] /Count 300000 >>",
                PAGE,
            ]
        ),
        "bogus_encrypt_filter": _one_page(b"", PAGE).replace(
            b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Bogus /V 99 /R 99 >>"
        ),
        "bogus_encrypt_standard": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [] /Count 0 >>"],
            trailer=b"/Encrypt << /Filter /Standard /V 4 /R 4 /O (x) /U (y) /P -1 "
            b"/CF << /StdCF << /CFM /Bogus >> >> /StmF /StdCF /StrF /StdCF >> /ID [(a)(b)]",
        ),
        "encrypt_is_a_number": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE],
            trailer=b"/Encrypt 12",
        ),
        "encrypt_points_to_missing_object": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE],
            trailer=b"/Encrypt 99 0 R",
        ),
        "encrypt_without_id": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE],
            trailer=b"/Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O (x) /U (y) /P -1 >>",
        ),
        "huge_declared_stream_length": _one_page(
            b"",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Contents 4 0 R >>",
            b"<< /Length 99999999999999 >>\nstream\nBT ET\nendstream",
        ),
        "huge_declared_length_by_reference": _one_page(
            b"",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Contents 4 0 R >>",
            b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
            b"99999999999999",
        ),
        "huge_declared_object_stream": _object_stream_claiming(10**9),
        "huge_xref_stream_widths": _xref_stream(b"/W [1 2000000000 1]"),
        "xref_stream_bomb": _xref_stream_bomb(),
        "arrays_nested_very_deep": _nested_arrays(100_000),
        "javascript_open_action": _one_page(
            b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"
        ),
        "javascript_open_action_indirect": _one_page(
            b"/OpenAction 4 0 R", PAGE, b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
        ),
        "javascript_name_tree": _one_page(
            b"/Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (print\\(\\)) >>] >> >>"
        ),
        "javascript_page_open_action": _one_page(
            b"",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] "
            b"/AA << /O << /S /JavaScript /JS (app.alert\\(1\\)) >> >> >>",
        ),
        "javascript_link_annotation": _one_page(
            b"",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Annots [4 0 R] >>",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /JavaScript /JS (app.alert\\(1\\)) >> >>",
        ),
        "launch_action": _one_page(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        "javascript_in_a_compressed_action_chain": _one_page(
            b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 4 0 R >>",
            PAGE,
            b"<< /S /JavaScript /JS 5 0 R >>",
            _flate_stream(b"app.alert(1)"),
        ),
    }


def recoverable() -> dict[str, bytes]:
    """name -> bytes of a PDF with a defect that readers repair: accepted, with bounded work."""
    good = minimal_pdf(["A letter"])
    return {
        "trailer_without_root": good.replace(b"/Root 1 0 R", b"/Rxxx 1 0 R"),
        "root_is_a_number": good.replace(b"/Root 1 0 R", b"/Root 42   "),
        "huge_declared_xref_size": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE], size=10**15
        ),
        "page_count_overstated": build_pdf(
            [_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 99999999999 >>", PAGE]
        ),
        "huge_xref_stream_index": _xref_stream(b"/W [1 4 1] /Index [0 4000000000]"),
        "garbage_before_header": b"\r\n  " + good,
        "owner_password_only": _owner_password_only(good),
        "destination_as_open_action": _one_page(b"/OpenAction [3 0 R /Fit]"),
    }


def _owner_password_only(good: bytes) -> bytes:
    """Protected against editing, readable without a password (many official PDFs are)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
