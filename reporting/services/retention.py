"""Files of reports that lost their row: purged by the retention policy (coalition.retention)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from reporting.models import SectionAttachment

#: Where attachments are stored (SectionAttachment.file's upload_to, without its year).
ATTACHMENT_DIR = "reporting/attachments"


def purge_orphaned_attachment_files(*, older_than: dt.timedelta) -> int:
    """Delete attachment files no attachment row names, older than `older_than`.

    add_attachment stores the file before its row commits: a transaction that then
    fails leaves the file behind. The age limit keeps a file whose row is still
    being written. Idempotent.
    """
    storage = SectionAttachment._meta.get_field("file").storage
    cutoff = timezone.now() - older_than
    try:
        years, _files = storage.listdir(ATTACHMENT_DIR)
    except FileNotFoundError:
        return 0
    known = set(SectionAttachment.objects.values_list("file", flat=True))
    deleted = 0
    for year in years:
        _dirs, names = storage.listdir(f"{ATTACHMENT_DIR}/{year}")
        for name in names:
            path = f"{ATTACHMENT_DIR}/{year}/{name}"
            if path in known or storage.get_modified_time(path) >= cutoff:
                continue
            storage.delete(path)
            deleted += 1
    return deleted
