"""The editor works one commitment a page, with the overview beside it; autosave keeps the
list of commitments and the check before submitting up to date; indicators per section."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from coalition.audit import events_for
from reporting import selectors, services
from reporting.models import Indicator, ReportSection, ReportStatus
from tests.reporting.helpers import fill, report_of

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def report(coordinator):
    return report_of("Potsdam", 2025)


def _section(report, number: int) -> ReportSection:
    return report.sections.select_related("commitment").get(commitment__number=number)


def _page(report, section) -> str:
    return reverse("reporting:section_edit", args=[report.pk, section.pk])


def _post(section, **values) -> dict:
    prefix = f"s{section.pk}"
    data = {f"{prefix}-version": section.version, f"{prefix}-visibility": section.visibility}
    data.update({f"{prefix}-{name}": value for name, value in values.items()})
    return data


def _nav_item(body: str, section) -> str:
    start = body.index('id="report-sections-nav"')
    link = body.index(f"/edit/{section.pk}/", start)
    return body[link : body.index("</li>", link)]


# --- States, the overview and the pager ---------------------------------------------------


def test_section_state_follows_what_is_written(report, coordinator):
    section = _section(report, 4)
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data=dict.fromkeys(("actions", "results", "partners", "next_steps"), "")
        | {"resources_human": "", "resources_financial": "", "resources_material": ""},
    )
    section.refresh_from_db()
    assert section.state == "empty"
    services.save_section(
        actor=coordinator, section=section, expected_version=section.version, data={"actions": "A"}
    )
    section.refresh_from_db()
    assert section.state == "in_progress"
    services.save_section(
        actor=coordinator, section=section, expected_version=section.version, data={"results": "R"}
    )
    section.refresh_from_db()
    assert section.state == "complete"
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={"good_practice": True, "good_practice_title": ""},
    )
    section.refresh_from_db()
    assert section.state == "in_progress"  # a proposed practice needs its title and summary


def test_a_section_page_holds_one_form_the_overview_and_the_pager(client, coordinator, report):
    client.force_login(coordinator)
    three = _section(report, 3)
    response = client.get(_page(report, three))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("data-autosave ") == 1
    assert body.count('id="report-sections-nav"') == 1 and body.count('id="report-check"') == 1
    assert 'aria-current="page">' + three.commitment.title in body
    assert reverse("reporting:submit", args=[report.pk]) in body
    assert f"Previous: 2. {_section(report, 2).commitment.title}" in body
    assert f"Next: 4. {_section(report, 4).commitment.title}" in body
    last = client.get(_page(report, _section(report, 10))).content.decode()
    assert "Last commitment: check and submit the report" in last


def test_the_overview_lists_each_commitment_with_its_state(client, coordinator, report):
    fill(report, coordinator, results="Measured.")
    client.force_login(coordinator)
    body = client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    assert body.count(">complete<") >= 10  # every section complete
    assert "data-autosave" not in body  # no form of its own: one commitment a page


def test_a_section_of_another_report_is_404(client, coordinator, report):
    other = report_of("Potsdam", 2024).sections.first()
    client.force_login(coordinator)
    assert client.get(_page(report, other)).status_code == 404


def test_a_submitted_report_leads_from_the_section_page_to_the_report(client, coordinator, report):
    services.submit_report(actor=coordinator, report=report)
    client.force_login(coordinator)
    response = client.get(_page(report, _section(report, 1)))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()


# --- Autosave keeps the overview live -----------------------------------------------------


def test_autosave_answers_the_overview_fragments_updated(client, coordinator, report):
    section = _section(report, 6)
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={"actions": "", "results": ""},
    )
    section.refresh_from_db()
    client.force_login(coordinator)
    before = client.get(_page(report, section)).content.decode()
    assert "6. " + section.commitment.title + ": no action is reported." in before
    data = client.post(
        reverse("reporting:section_save", args=[report.pk, section.pk]),
        _post(section, actions="A new office.", results="Forty cases heard."),
        **JSON,
    ).json()
    assert data["ok"] is True
    nav, check = data["fragments"]["report-sections-nav"], data["fragments"]["report-check"]
    assert nav.startswith('<ol id="report-sections-nav"')
    assert check.startswith('<div id="report-check"')
    assert "complete" in _nav_item(nav, section)
    assert section.commitment.title + ": no action is reported." not in check


def test_without_javascript_a_save_returns_to_the_section_page(client, coordinator, report):
    section = _section(report, 2)
    client.force_login(coordinator)
    response = client.post(
        reverse("reporting:section_save", args=[report.pk, section.pk]),
        _post(section, actions="Plain POST."),
    )
    assert response["Location"] == _page(report, section) + f"#section-{section.pk}"


def test_an_invalid_save_without_javascript_shows_the_section_page(client, coordinator, report):
    section = _section(report, 2)
    client.force_login(coordinator)
    response = client.post(
        reverse("reporting:section_save", args=[report.pk, section.pk]),
        _post(section, visibility="everyone"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("data-autosave ") == 1 and 'aria-invalid="true"' in body


# --- Indicators ---------------------------------------------------------------------------


def _indicator_post(section, rows, *, initial=0) -> dict:
    prefix = f"i{section.pk}"
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def _save_indicators(client, report, section, rows, **kwargs):
    return client.post(
        reverse("reporting:indicators_save", args=[report.pk, section.pk]),
        _indicator_post(section, rows, **kwargs),
    )


def test_indicators_are_saved_from_the_section_page(client, coordinator, report):
    section = _section(report, 3)
    client.force_login(coordinator)
    response = _save_indicators(
        client,
        report,
        section,
        [
            {
                "name": "Complaints handled",
                "unit": "cases",
                "baseline": "120",
                "target": "200",
                "value": "164.5",
                "source": "Anti-discrimination office register",
            },
            {"name": "", "unit": "", "baseline": "", "target": "", "value": "", "source": ""},
        ],
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#indicators-{section.pk}")
    (indicator,) = Indicator.objects.filter(section=section)
    assert indicator.value == Decimal("164.5") and indicator.baseline == Decimal("120")
    assert indicator.target == Decimal("200") and indicator.unit == "cases"
    page = client.get(_page(report, section)).content.decode()
    assert 'value="Complaints handled"' in page


def test_indicator_numbers_are_checked_with_errors_on_their_fields(client, coordinator, report):
    section = _section(report, 3)
    client.force_login(coordinator)
    response = _save_indicators(
        client,
        report,
        section,
        [{"name": "Trained staff", "baseline": "many", "target": "50", "value": "", "source": ""}],
    )
    assert response.status_code == 400
    body = response.content.decode()
    field = f'id="id_i{section.pk}-0-baseline"'
    assert field in body
    assert f'id="id_i{section.pk}-0-baseline_error"' in body and "Enter a number." in body
    assert 'aria-invalid="true"' in body
    assert not Indicator.objects.filter(section=section).exists()


def test_an_indicator_needs_a_name(client, coordinator, report):
    section = _section(report, 3)
    client.force_login(coordinator)
    response = _save_indicators(client, report, section, [{"name": "", "value": "12"}])
    assert response.status_code == 400
    assert f'id="id_i{section.pk}-0-name_error"' in response.content.decode()


def test_indicators_change_and_are_removed(client, coordinator, report):
    section = _section(report, 3)
    (first, second) = services.save_indicators(
        actor=coordinator,
        section=section,
        rows=[
            {"id": None, "delete": False, "name": "A", "value": Decimal(1)},
            {"id": None, "delete": False, "name": "B", "value": Decimal(2)},
        ],
    )
    client.force_login(coordinator)
    response = _save_indicators(
        client,
        report,
        section,
        [
            {"id": first.pk, "name": "A renamed", "value": "3"},
            {"id": second.pk, "name": "B", "value": "2", "DELETE": "on"},
        ],
        initial=2,
    )
    assert response.status_code == 302
    assert list(section.indicators.values_list("name", "value")) == [("A renamed", Decimal(3))]


def test_the_service_refuses_another_sections_indicator_and_a_locked_report(report, coordinator):
    three, four = _section(report, 3), _section(report, 4)
    theirs = services.save_indicators(
        actor=coordinator, section=four, rows=[{"id": None, "delete": False, "name": "X"}]
    )[-1]
    with pytest.raises(services.ReportingError):
        services.save_indicators(
            actor=coordinator,
            section=three,
            rows=[{"id": theirs.pk, "delete": True, "name": "X"}],
        )
    services.submit_report(actor=coordinator, report=report)
    with pytest.raises(services.ReportLockedError):
        services.save_indicators(
            actor=coordinator, section=three, rows=[{"id": None, "delete": False, "name": "Y"}]
        )


def test_saving_indicators_bumps_the_report_version_and_audits(report, coordinator):
    version = report.version
    services.save_indicators(
        actor=coordinator,
        section=_section(report, 1),
        rows=[{"id": None, "delete": False, "name": "Trained staff", "value": Decimal(12)}],
    )
    report.refresh_from_db()
    assert report.version == version + 1
    assert events_for(report).filter(verb="reporting.indicators_saved").exists()


def test_indicators_show_on_the_report_and_the_dashboard(
    client, coordinator, bureau, secretariat, report
):
    fill(report, coordinator)
    services.save_indicators(
        actor=coordinator,
        section=_section(report, 5),
        rows=[
            {
                "id": None,
                "delete": False,
                "name": "Contracts with equal-treatment clauses",
                "unit": "%",
                "baseline": Decimal(10),
                "target": Decimal(100),
                "value": Decimal("62.5"),
                "source": "Procurement office",
            }
        ],
    )
    services.submit_report(actor=coordinator, report=report)
    assert report_of("Potsdam", 2025).status == ReportStatus.SUBMITTED
    client.force_login(bureau)
    body = client.get(report.get_absolute_url()).content.decode()
    assert "Indicators of commitment 5" in body and "Contracts with equal-treatment" in body
    assert "62.5" in body and "Procurement office" in body
    counts = selectors.indicators_by_commitment(report.cycle, {"public", "coalition"})
    assert counts[5]["indicators"] >= 1 and counts[5]["cities"] >= 1
    dashboard = client.get(reverse("reporting:cycle_dashboard", args=[report.cycle_id]))
    assert "Indicators reported per commitment" in dashboard.content.decode()


def test_the_pdf_prints_the_indicators(coordinator, report):
    section = _section(report, 5)
    services.save_indicators(
        actor=coordinator,
        section=section,
        rows=[{"id": None, "delete": False, "name": "Hate crimes recorded", "value": Decimal(7)}],
    )
    (section,) = [s for s in selectors.sections_for(report, {"coalition"}) if s.pk == section.pk]
    html = render_to_string("reporting/pdf/indicators.html", {"section": section})
    assert "Hate crimes recorded" in html and ">7<" in html
