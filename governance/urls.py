from django.urls import path

from governance.views import (
    applications,
    attendance,
    audit,
    bureau,
    committee,
    delegates,
    fees,
    polls,
    sessions,
    statute,
)

app_name = "governance"

urlpatterns = [
    # Applying to join
    path("apply/", applications.apply, name="apply"),
    path("apply/applications/", applications.my_applications, name="my_applications"),
    path(
        "apply/applications/<int:pk>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "apply/applications/<int:pk>/edit/",
        applications.application_edit,
        name="application_edit",
    ),
    path(
        "apply/applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "apply/applications/<int:pk>/letter/",
        applications.application_letter,
        name="application_letter",
    ),
    # The bureau
    path("bureau/", bureau.bureau_home, name="bureau_home"),
    path(
        "bureau/applications/<int:pk>/",
        bureau.application_review,
        name="application_review",
    ),
    path(
        "bureau/applications/<int:pk>/return/",
        bureau.application_return,
        name="application_return",
    ),
    path(
        "bureau/applications/<int:pk>/open-vote/",
        bureau.application_open_vote,
        name="application_open_vote",
    ),
    path(
        "bureau/applications/<int:pk>/audit/",
        bureau.application_audit,
        name="application_audit",
    ),
    path("bureau/audit-log/", audit.audit_log, name="audit_log"),
    path("bureau/audit-log.csv", audit.audit_log_export, name="audit_log_export"),
    path("bureau/seats/", bureau.seat_list, name="seat_list"),
    path("bureau/seats/<int:pk>/", bureau.seat_change, name="seat_change"),
    path("bureau/seats/<int:pk>/end/", bureau.seat_end, name="seat_end"),
    path("bureau/memberships/", bureau.membership_list, name="membership_list"),
    path(
        "bureau/memberships/<int:pk>/decision/",
        bureau.membership_decision,
        name="membership_decision",
    ),
    path(
        "bureau/exclusions/<int:pk>/open-vote/",
        bureau.exclusion_open_vote,
        name="exclusion_open_vote",
    ),
    path(
        "bureau/exclusions/<int:pk>/decision/",
        bureau.exclusion_decision,
        name="exclusion_decision",
    ),
    # The statute profile and membership fees
    path(
        "bureau/coalitions/<slug:slug>/statute/",
        statute.statute_profile,
        name="statute_profile",
    ),
    path(
        "bureau/coalitions/<slug:slug>/statute/edit/",
        statute.statute_edit,
        name="statute_edit",
    ),
    path("bureau/coalitions/<slug:slug>/fees/", fees.fee_list, name="fee_list"),
    path(
        "bureau/coalitions/<slug:slug>/fees/generate/",
        fees.fee_generate,
        name="fee_generate",
    ),
    path("bureau/coalitions/<slug:slug>/fees.csv", fees.fee_export, name="fee_export"),
    path("bureau/fees/<int:pk>/", fees.fee_record, name="fee_record"),
    # Delegates: the city's certifications, the bureau's validation, city roles
    path("delegates/<int:city_pk>/", delegates.city_delegates, name="city_delegates"),
    path("delegates/<int:city_pk>/certify/", delegates.certify_delegate, name="certify_delegate"),
    path(
        "delegates/certifications/<int:pk>/revoke/",
        delegates.certification_revoke,
        name="certification_revoke",
    ),
    path(
        "delegates/certifications/<int:pk>/letter/",
        delegates.certification_letter,
        name="certification_letter",
    ),
    path("bureau/certifications/", delegates.certification_queue, name="certification_queue"),
    path(
        "bureau/certifications/<int:pk>/",
        delegates.certification_review,
        name="certification_review",
    ),
    path(
        "bureau/certifications/<int:pk>/validate/",
        delegates.certification_validate,
        name="certification_validate",
    ),
    path(
        "bureau/certifications/<int:pk>/reject/",
        delegates.certification_reject,
        name="certification_reject",
    ),
    path("bureau/delegates/", delegates.delegate_list, name="delegate_list"),
    path("bureau/roles/", delegates.role_list, name="role_list"),
    path("bureau/roles/<int:pk>/end/", delegates.role_end, name="role_end"),
    # Assembly sessions: the bureau's pages
    path("bureau/sessions/", sessions.session_list, name="session_list"),
    path("bureau/sessions/new/", sessions.session_create, name="session_create"),
    path("bureau/sessions/<int:pk>/", sessions.session_manage, name="session_manage"),
    path("bureau/sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("bureau/sessions/<int:pk>/items/", sessions.item_add, name="agenda_item_add"),
    path("bureau/sessions/<int:pk>/convene/", sessions.session_convene, name="session_convene"),
    path("bureau/sessions/<int:pk>/open/", sessions.session_open, name="session_open"),
    path("bureau/sessions/<int:pk>/close/", sessions.session_close, name="session_close"),
    path("bureau/sessions/<int:pk>/late-items/", sessions.late_item_add, name="late_item_add"),
    path(
        "bureau/sessions/<int:pk>/deliveries/",
        sessions.session_deliveries,
        name="session_deliveries",
    ),
    path("bureau/agenda/<int:pk>/move/", sessions.item_move, name="agenda_item_move"),
    path("bureau/agenda/<int:pk>/withdraw/", sessions.item_withdraw, name="agenda_item_withdraw"),
    path("bureau/agenda/<int:pk>/documents/", sessions.item_document, name="agenda_document_add"),
    path("bureau/agenda/<int:pk>/late-vote/", sessions.late_item_vote, name="late_item_vote"),
    path("bureau/deliveries/<int:pk>/bounce/", sessions.delivery_bounce, name="delivery_bounce"),
    # Assembly sessions: public pages, and a city's request for an extraordinary assembly
    path(
        "coalitions/<slug:slug>/sessions/",
        sessions.coalition_sessions,
        name="coalition_sessions",
    ),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path(
        "sessions/<int:pk>/convocation.pdf",
        sessions.session_convocation,
        name="session_convocation",
    ),
    path("sessions/documents/<int:pk>/", sessions.agenda_document, name="agenda_document"),
    path(
        "sessions/extraordinary/<int:city_pk>/",
        sessions.extraordinary_request,
        name="extraordinary_request",
    ),
    # Registration, attendance, voting cards and roll calls (ADR 0008)
    path(
        "sessions/<int:pk>/register/<int:city_pk>/",
        attendance.city_registrations,
        name="city_registrations",
    ),
    path(
        "bureau/sessions/<int:pk>/registrations/",
        attendance.session_registrations,
        name="session_registrations",
    ),
    path(
        "bureau/registrations/<int:pk>/accredit/",
        attendance.registration_accredit,
        name="registration_accredit",
    ),
    path(
        "bureau/registrations/<int:pk>/reject/",
        attendance.registration_reject,
        name="registration_reject",
    ),
    path("sessions/<int:pk>/desk/", attendance.session_desk, name="session_desk"),
    path("sessions/<int:pk>/desk/check-in/", attendance.desk_check_in, name="desk_check_in"),
    path("sessions/<int:pk>/desk/quorum/", attendance.session_quorum, name="session_quorum"),
    path("sessions/<int:pk>/roll-calls/", attendance.roll_call_take, name="roll_call_take"),
    path("sessions/<int:pk>/room/", attendance.session_room, name="session_room"),
    path("sessions/roll-calls/<int:pk>/", attendance.roll_call_detail, name="roll_call_detail"),
    path(
        "sessions/attendance/<int:pk>/",
        attendance.desk_attendance,
        name="desk_attendance",
    ),
    path("sessions/registrations/", attendance.my_registrations, name="my_registrations"),
    path(
        "sessions/registrations/<int:pk>/",
        attendance.registration_detail,
        name="registration_detail",
    ),
    path(
        "sessions/registrations/<int:pk>/code/",
        attendance.registration_code,
        name="registration_code",
    ),
    path(
        "sessions/registrations/<int:pk>/online/",
        attendance.registration_online,
        name="registration_online",
    ),
    path("sessions/registrations/<int:pk>/take-card/", attendance.card_take, name="card_take"),
    path("sessions/cards/<int:pk>/hand/", attendance.card_hand, name="card_hand"),
    # Assembly polls (ADR 0009)
    path("sessions/<int:pk>/chair/", polls.chair_page, name="chair_page"),
    path("sessions/<int:pk>/projector/", polls.projector, name="projector"),
    path("sessions/items/<int:pk>/poll/", polls.poll_open, name="poll_open"),
    path("sessions/items/<int:pk>/reply/", polls.exclusion_reply, name="exclusion_reply"),
    path("sessions/polls/<int:pk>/", polls.poll_detail, name="poll_detail"),
    path("sessions/polls/<int:pk>/progress/", polls.poll_progress, name="poll_progress"),
    path("sessions/polls/<int:pk>.json", polls.poll_json, name="poll_json"),
    path("sessions/polls/<int:pk>/close/", polls.poll_close, name="poll_close"),
    path("sessions/polls/<int:pk>/cancel/", polls.poll_cancel, name="poll_cancel"),
    path("sessions/polls/<int:pk>/release/", polls.poll_release, name="poll_release"),
    path("sessions/polls/<int:pk>/confirm/", polls.poll_confirm, name="poll_confirm"),
    path("sessions/polls/<int:pk>/hand-vote/", polls.poll_hand_vote, name="poll_hand_vote"),
    path("sessions/ballots/<int:pk>/confirm/", polls.ballot_confirm, name="ballot_confirm"),
    # The steering committee
    path("committee/", committee.committee_home, name="committee_home"),
    path("committee/votes/<int:pk>/", committee.vote_detail, name="vote_detail"),
    path("committee/votes/<int:pk>/tally/", committee.vote_tally, name="vote_tally"),
    path("committee/votes/<int:pk>/comments/", committee.vote_comment, name="vote_comment"),
    path("committee/exclusions/new/", committee.propose_exclusion, name="propose_exclusion"),
    path("committee/exclusions/<int:pk>/", committee.exclusion_detail, name="exclusion_detail"),
]
