from django.urls import path

from reporting.views import filing, public, reading, review

app_name = "reporting"

urlpatterns = [
    # The city's side
    path("reports/", filing.my_reports, name="my_reports"),
    path("reports/<int:pk>/", reading.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", filing.report_edit, name="report_edit"),
    path(
        "reports/<int:pk>/edit/<int:section_pk>/",
        filing.section_edit,
        name="section_edit",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/",
        filing.section_save,
        name="section_save",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/indicators/",
        filing.indicators_save,
        name="indicators_save",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/attachments/",
        filing.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        reading.attachment_download,
        name="attachment_download",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/delete/",
        filing.attachment_delete,
        name="attachment_delete",
    ),
    path("reports/<int:pk>/copy-previous/", filing.copy_previous, name="copy_previous"),
    path("reports/<int:pk>/submit/", filing.submit, name="submit"),
    path("reports/<int:pk>/publish/", filing.publish, name="publish"),
    path("reports/<int:pk>/pdf/", reading.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/pdf/status/", reading.report_pdf_status, name="report_pdf_status"),
    path("reports/<int:pk>/pdf/retry/", reading.report_pdf_retry, name="report_pdf_retry"),
    # Review and evaluation
    path("reports/<int:pk>/transmit/", review.transmit, name="transmit"),
    path("reports/<int:pk>/return/", review.return_report, name="return_report"),
    path("reports/<int:pk>/evaluate/", review.evaluate, name="evaluate"),
    path("reports/<int:pk>/questions/", review.ask_questions, name="ask_questions"),
    path("reports/<int:pk>/release/", review.release, name="release"),
    path("reporting/", review.secretariat_home, name="secretariat_home"),
    path("reporting/cycles/new/", review.cycle_new, name="cycle_new"),
    path("reporting/cycles/<int:pk>/", review.cycle_dashboard, name="cycle_dashboard"),
    path("reporting/cycles/<int:pk>/review/", review.cycle_review, name="cycle_review"),
    path("reporting/cycles/<int:pk>/transmit-all/", review.transmit_all, name="transmit_all"),
    path("reporting/cycles/<int:pk>/evaluation.pdf", review.cycle_pdf, name="cycle_pdf"),
    path(
        "reporting/cycles/<int:pk>/evaluation.pdf/retry/",
        review.cycle_pdf_retry,
        name="cycle_pdf_retry",
    ),
    path(
        "reporting/cycles/<int:pk>/pdfs/rerender/",
        review.cycle_pdfs_rerender,
        name="cycle_pdfs_rerender",
    ),
    path(
        "reporting/cycles/<int:pk>/pdfs/progress/",
        review.cycle_pdfs_progress,
        name="cycle_pdfs_progress",
    ),
    # Public
    path("good-practices/", public.good_practice_list, name="good_practice_list"),
]
