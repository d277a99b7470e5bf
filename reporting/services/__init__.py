"""State changes of the reporting app: cycles, filing, review, evaluation, publication.

Every function runs in a transaction, takes the acting user and writes an
audit record. A change to what a handed-in report shows bumps Report.version
and (after commit) asks for its PDFs to be rendered again. Callers import this
package (`from reporting import services`); the modules split it by concept.
"""

from reporting.services.common import (
    MAX_FIELD_LENGTH,
    ReportingError,
    ReportLockedError,
    ReportNotOpenError,
    StaleSectionError,
    is_quiet,
    quietly,
    request_cycle_pdf,
    request_missing_cycle_pdf,
    request_missing_pdfs,
    request_report_pdfs,
    retry_cycle_pdf,
    retry_report_pdfs,
)
from reporting.services.cycles import add_drafts_for_new_member, add_missing_reports, open_cycle
from reporting.services.evaluation import (
    EVALUABLE_STATUSES,
    ask_questions,
    missing_scores,
    release_evaluation,
    save_evaluation,
)
from reporting.services.filing import (
    CheckItem,
    add_attachment,
    clean_section_data,
    copy_previous_year,
    delete_attachment,
    pre_submit_check,
    previous_report,
    save_indicators,
    save_section,
    submit_report,
)
from reporting.services.overdue import clear_overdue, mark_overdue
from reporting.services.publication import publish_report, unpublish_report
from reporting.services.rendering import Rerender, rerender_cycle_pdfs
from reporting.services.retention import purge_orphaned_attachment_files
from reporting.services.review import return_report, transmit_all, transmit_report

__all__ = [
    "EVALUABLE_STATUSES",
    "MAX_FIELD_LENGTH",
    "CheckItem",
    "ReportLockedError",
    "ReportNotOpenError",
    "ReportingError",
    "Rerender",
    "StaleSectionError",
    "add_attachment",
    "add_drafts_for_new_member",
    "add_missing_reports",
    "ask_questions",
    "clear_overdue",
    "clean_section_data",
    "copy_previous_year",
    "delete_attachment",
    "is_quiet",
    "mark_overdue",
    "missing_scores",
    "open_cycle",
    "pre_submit_check",
    "previous_report",
    "publish_report",
    "purge_orphaned_attachment_files",
    "quietly",
    "release_evaluation",
    "rerender_cycle_pdfs",
    "request_cycle_pdf",
    "request_missing_cycle_pdf",
    "request_missing_pdfs",
    "request_report_pdfs",
    "retry_cycle_pdf",
    "retry_report_pdfs",
    "return_report",
    "save_evaluation",
    "save_indicators",
    "save_section",
    "submit_report",
    "transmit_all",
    "transmit_report",
    "unpublish_report",
]
