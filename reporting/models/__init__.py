"""Reporting cycles, annual reports and their sections, evaluations, reminders and PDFs.

A report moves through ReportStatus; every change of what its PDF shows bumps
Report.version, and a ReportPDF records the version it was rendered from, so a
render task can tell whether its work is already done.

One module per concept:
- `cycles`: The rubric and the reporting cycles: a coalition's year of reports against one plan.
- `reports`: Annual reports and their statuses: each change of what a report's PDF shows bumps
  Report.version.
- `sections`: A report's sections (one per commitment), their indicators, question rounds and
  attachments.
- `evaluations`: The secretariat's evaluation of a report, its scores per section, and the reminders
  sent.
- `pdfs`: The PDF job rows: a report's PDFs per variant and language (each records the version it
  was rendered from), and a cycle's consolidated evaluation.
"""

from __future__ import annotations

# Migrations name reporting.models.private_storage.
from coalition.files import private_storage  # noqa: F401
from reporting.models.cycles import (  # noqa: F401
    ReportingCycle,
    RubricLevel,
)
from reporting.models.evaluations import (  # noqa: F401
    Evaluation,
    ReminderKind,
    ReminderSent,
    SectionScore,
)
from reporting.models.pdfs import (  # noqa: F401
    CyclePDF,
    PDFJob,
    PDFStatus,
    PDFVariant,
    ReportPDF,
)
from reporting.models.reports import (  # noqa: F401
    EDITABLE_STATUSES,
    HANDED_IN_STATUSES,
    RELEASED_STATUSES,
    STATUS_STEPS,
    Report,
    ReportQuerySet,
    ReportStatus,
)
from reporting.models.sections import (  # noqa: F401
    SECTION_FIELDS,
    SECTION_TEXT_FIELDS,
    Indicator,
    QuestionRound,
    ReportSection,
    SectionAttachment,
    SectionState,
    Visibility,
)
