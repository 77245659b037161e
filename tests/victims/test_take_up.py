"""Take-up figures (recommendation 14) against a fixture whose every figure is computed by hand.

The fixture: two providers, a and b; cases convicted on known days, their victims and family
members contacted, asking, assessed and met on known days. Every date is absolute and in the past,
so the arithmetic in the comments holds whenever the tests run. Dates that the services would
refuse (none here) or steps that need a released pack (the meeting) are written as rows directly,
after the assessment is signed off (the database's gate requires it)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offences.qualification import Outcome as Qualification
from reviews import services as case_services
from reviews.models import Case, CourtOutcome
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.factories import IndependentBodyFactory, UserFactory
from tests.reviews.conftest import assert_error_summary, case_in
from victims import services
from victims.models import (
    DisclosureMeeting,
    DisclosureRequest,
    EntitlementTask,
    Relationship,
    RequestState,
    TaskStatus,
)
from victims.take_up import last_twelve_months, take_up

pytestmark = pytest.mark.django_db

D = date


def _case(
    world,
    murder,
    key,
    crn,
    *,
    convicted_on=None,
    outcome=CourtOutcome.CONVICTED_QUALIFYING,
    state=CaseState.REGISTERED,
):
    case = case_in(world, murder, state, key=key, crn=crn)
    if convicted_on is not None:
        case_services.record_court_outcome(
            case, by=world[key][Role.SENIOR_MANAGER], outcome=outcome, on=convicted_on
        )
    return Case.objects.get(pk=case.pk)


def _person(case, vlo, relationship=Relationship.FAMILY):
    return services.add_victim(
        case,
        by=vlo,
        full_name="Named Person",
        relationship=relationship,
        relationship_to_victim="sister" if relationship == Relationship.FAMILY else "",
    )


def _contact(victim, vlo, on, outcome="informed"):
    services.record_contact(victim, by=vlo, made_on=on, method="phone", outcome=outcome)


def _assess(request, vlo, senior, *, sign_off=True):
    services.save_assessment(
        request,
        by=vlo,
        complete=True,
        self_harm="low",
        serious_harm="none_known",
        in_relationship="no",
        risk_to_staff="low",
        decision="proceed",
        reasons="No risk stands in the way.",
    )
    if sign_off:
        services.sign_off_assessment(request, by=senior)


def _meeting(request, world, key, held_on, state=RequestState.DISCLOSED):
    """The meeting as a row: `record_meeting` needs a released pack, which these figures do not
    look at. The database's gate still requires the signed-off assessment."""
    people = world[key]
    DisclosureMeeting.objects.create(
        request=request,
        held_on=held_on,
        place="Probation office",
        senior_manager=people[Role.SENIOR_MANAGER],
        liaison_officer=people[Role.VICTIM_LIAISON_OFFICER],
        outcome="The review was explained.",
        recorded_by=people[Role.VICTIM_LIAISON_OFFICER],
    )
    DisclosureRequest.objects.filter(pk=request.pk).update(state=state)


@pytest.fixture
def known(world, murder):
    """The hand-computed world. Provider a: cases A1 (convicted 3 March 2025), A2 (31 December
    2025) and, outside 2025 or not entitling, A3, A4, A5, A6. Provider b: B1 (2 June 2025) and B2
    (1 September 2025, conditional overridden to automatic)."""
    a_vlo, a_sm = world["a"][Role.VICTIM_LIAISON_OFFICER], world["a"][Role.SENIOR_MANAGER]
    b_vlo, b_sm = world["b"][Role.VICTIM_LIAISON_OFFICER], world["b"][Role.SENIOR_MANAGER]
    people = {}

    # A1, convicted Monday 3 March 2025; its three people were recorded before the conviction.
    a1 = _case(world, murder, "a", "A100001")
    people["v1"], people["v2"], people["v3"] = (_person(a1, a_vlo) for _ in range(3))
    a1 = _case_convicted(a1, a_sm, D(2025, 3, 3))
    # v1: a call on 1 March (before the conviction: not the first contact), no answer on 5 March,
    # told on 10 March; asked on 20 March; assessed and signed off; met on 19 April.
    _contact(people["v1"], a_vlo, D(2025, 3, 1), "no_answer")
    _contact(people["v1"], a_vlo, D(2025, 3, 5), "no_answer")
    _contact(people["v1"], a_vlo, D(2025, 3, 10))
    r1 = services.record_request(
        people["v1"], by=a_vlo, requested_on=D(2025, 3, 20), how_made="phone"
    )
    _assess(r1, a_vlo, a_sm)
    _meeting(r1, world, "a", D(2025, 4, 19))
    # v2: told on 13 March; asked on 25 March; the request ended before any assessment.
    _contact(people["v2"], a_vlo, D(2025, 3, 13))
    r2 = services.record_request(
        people["v2"], by=a_vlo, requested_on=D(2025, 3, 25), how_made="letter"
    )
    services.decline_request(r2, by=a_vlo, reason="They chose not to go ahead.")
    # v3: nobody has reached them yet.

    # A2, convicted 31 December 2025, the last day of the year; v4 recorded after it.
    a2 = _case_convicted(_case(world, murder, "a", "A100002"), a_sm, D(2025, 12, 31))
    people["v4"] = _person(a2, a_vlo, Relationship.VICTIM)
    # v4: a letter on 5 January 2026; asked on 10 January; assessed; met on 30 January, and the
    # feedback recorded.
    _contact(people["v4"], a_vlo, D(2026, 1, 5), "letter_sent")
    r4 = services.record_request(
        people["v4"], by=a_vlo, requested_on=D(2026, 1, 10), how_made="email"
    )
    _assess(r4, a_vlo, a_sm)
    _meeting(r4, world, "a", D(2026, 1, 30), RequestState.FEEDBACK_RECORDED)

    # A3, convicted 31 December 2024: outside 2025. v5 told on 2 January 2025 and asked on 5th.
    a3 = _case_convicted(_case(world, murder, "a", "A100003"), a_sm, D(2024, 12, 31))
    people["v5"] = _person(a3, a_vlo)
    _contact(people["v5"], a_vlo, D(2025, 1, 2))
    services.record_request(people["v5"], by=a_vlo, requested_on=D(2025, 1, 5), how_made="phone")
    # A4: convicted in 2025, of an offence that does not qualify.
    a4 = _case(
        world,
        murder,
        "a",
        "A100004",
        convicted_on=D(2025, 5, 5),
        outcome=CourtOutcome.CONVICTED_OTHER,
    )
    people["v6"] = _person(a4, a_vlo)
    _contact(people["v6"], a_vlo, D(2025, 5, 6))
    # A5: convicted in 2025, but the central team overrode the qualification to conditional.
    a5 = _case(world, murder, "a", "A100005")
    Case.objects.filter(pk=a5.pk).update(
        qualification_override=Qualification.CONDITIONAL, override_justification="Not automatic"
    )
    a5 = _case_convicted(Case.objects.get(pk=a5.pk), a_sm, D(2025, 5, 5))
    people["v7"] = _person(a5, a_vlo)
    # A6: convicted in 2025 but never registered (no reference).
    a6 = _case(world, murder, "a", "A100006", state=CaseState.NOTIFIED, convicted_on=D(2025, 5, 5))
    people["v11"] = _person(a6, a_vlo)

    # B1, convicted Monday 2 June 2025.
    b1 = _case_convicted(_case(world, murder, "b", "B100001"), b_sm, D(2025, 6, 2))
    people["v8"], people["v9"] = _person(b1, b_vlo), _person(b1, b_vlo)
    # v8: told on 6 June; asked on 10 June; assessed and signed off; then withdrew (declined).
    _contact(people["v8"], b_vlo, D(2025, 6, 6))
    r8 = services.record_request(
        people["v8"], by=b_vlo, requested_on=D(2025, 6, 10), how_made="phone"
    )
    _assess(r8, b_vlo, b_sm)
    services.decline_request(r8, by=b_vlo, reason="They withdrew.")
    # v9: a call on 20 June, no answer: contacted, not informed.
    _contact(people["v9"], b_vlo, D(2025, 6, 20), "no_answer")

    # B2: registered conditional, overridden to automatic; convicted 1 September 2025.
    b2 = _case(world, murder, "b", "B100002")
    Case.objects.filter(pk=b2.pk).update(
        qualification=Qualification.CONDITIONAL,
        qualification_override=Qualification.AUTOMATIC,
        override_justification="The victim was under 13",
    )
    b2 = _case_convicted(Case.objects.get(pk=b2.pk), b_sm, D(2025, 9, 1))
    people["v10"] = _person(b2, b_vlo)
    # v10: told on 2 September; asked on 5 September; assessed; met on 15 October.
    _contact(people["v10"], b_vlo, D(2025, 9, 2))
    r10 = services.record_request(
        people["v10"], by=b_vlo, requested_on=D(2025, 9, 5), how_made="phone"
    )
    _assess(r10, b_vlo, b_sm)
    _meeting(r10, world, "b", D(2025, 10, 15))
    return people


def _case_convicted(case, by, on):
    case_services.record_court_outcome(
        case, by=by, outcome=CourtOutcome.CONVICTED_QUALIFYING, on=on
    )
    return Case.objects.get(pk=case.pk)


def _row(figures, label):
    return next(row for row in figures.rows if row.label == label)


def _counts(row):
    return (row.eligible, row.informed, row.requested, row.assessed, row.disclosed, row.declined)


def test_the_fixture_is_as_the_arithmetic_assumes(known):
    """The entitlement tasks the services opened: the seven people of entitling cases, plus v5
    (A3, convicted in 2024); none for A4, A5 or A6. Done for v1, v2, v4, v5, v8, v10."""
    tasks = EntitlementTask.objects.all()
    assert {t.victim_id for t in tasks} == {
        known[k].pk for k in ("v1", "v2", "v3", "v4", "v5", "v8", "v9", "v10")
    }
    done = {t.victim_id for t in tasks if t.status == TaskStatus.DONE}
    assert done == {known[k].pk for k in ("v1", "v2", "v4", "v5", "v8", "v10")}


def test_every_figure_of_2025_equals_the_hand_computed_one(known, world):
    analyst = world["central"][Role.ANALYST]
    figures = take_up(analyst, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert figures.national
    assert [row.label for row in figures.rows] == ["NPS London", "NPS Wales"]  # a, then b
    a, b, total = _row(figures, "NPS London"), _row(figures, "NPS Wales"), figures.total

    # Provider a, cohort A1 (v1, v2, v3) and A2 (v4); A3 is 2024, A4-A6 do not entitle.
    # Eligible 4. Informed: v1, v2, v4 = 3. Requested: v1, v2, v4 = 3. Assessed: v1, v4 = 2 (v2
    # was declined unassessed). Disclosed: v1, v4 = 2. Declined: v2 = 1.
    assert _counts(a) == (4, 3, 3, 2, 2, 1)
    # First contact on or after the conviction: v1 5 Mar - 3 Mar = 2 (the 1 March call is before
    # the conviction); v2 13 Mar - 3 Mar = 10; v4 5 Jan 2026 - 31 Dec 2025 = 5; v3 none.
    # [2, 5, 10]: median 5, mean 17 / 3 = 5.667.
    assert a.to_first_contact.count == 3
    assert a.to_first_contact.median == 5
    assert a.to_first_contact.mean == pytest.approx(17 / 3)
    # Request to meeting: v1 20 Mar -> 19 Apr = 11 + 19 = 30; v4 10 Jan -> 30 Jan = 20.
    # [20, 30]: median (20 + 30) / 2 = 25, mean 25.
    assert (a.to_meeting.count, a.to_meeting.median, a.to_meeting.mean) == (2, 25, 25)

    # Provider b, cohort B1 (v8, v9) and B2 (v10, conditional overridden to automatic).
    # Eligible 3. Informed: v8, v10 = 2 (v9 not reached). Requested: v8, v10 = 2. Assessed: v8
    # (assessed and signed off, then declined: its assessment was completed), v10 = 2.
    # Disclosed: v10 = 1. Declined: v8 = 1.
    assert _counts(b) == (3, 2, 2, 2, 1, 1)
    # First contact: v8 6 Jun - 2 Jun = 4; v9 20 Jun - 2 Jun = 18 (no answer counts as a
    # contact); v10 2 Sep - 1 Sep = 1. [1, 4, 18]: median 4, mean 23 / 3 = 7.667.
    assert b.to_first_contact.count == 3
    assert b.to_first_contact.median == 4
    assert b.to_first_contact.mean == pytest.approx(23 / 3)
    # Request to meeting: v10 5 Sep -> 15 Oct = 25 + 15 = 40.
    assert (b.to_meeting.count, b.to_meeting.median, b.to_meeting.mean) == (1, 40, 40)

    # National: the sums, and the median and mean of all the values together.
    assert total.label == "All providers"
    assert _counts(total) == (7, 5, 5, 4, 3, 2)
    # [1, 2, 4, 5, 10, 18]: median (4 + 5) / 2 = 4.5, mean 40 / 6 = 6.667.
    assert total.to_first_contact.count == 6
    assert total.to_first_contact.median == 4.5
    assert total.to_first_contact.mean == pytest.approx(40 / 6)
    # [20, 30, 40]: median 30, mean 30.
    assert (total.to_meeting.count, total.to_meeting.median, total.to_meeting.mean) == (3, 30, 30)
    # Take-up: requested as a share of informed, 5 of 5; a: 3 of 3.
    assert total.requested_share == 100 and total.informed_share == pytest.approx(500 / 7)


def test_the_period_boundaries_are_inclusive(known, world):
    analyst = world["central"][Role.ANALYST]
    # Only 31 December 2024: A3 alone, v5 told on 2 January 2025 (2 days) and asked.
    figures = take_up(analyst, start=D(2024, 12, 31), end=D(2024, 12, 31))
    assert _counts(figures.total) == (1, 1, 1, 0, 0, 0)
    assert figures.total.to_first_contact.median == 2
    assert _counts(_row(figures, "NPS Wales")) == (0,) * 6
    # 3 March 2025 (A1) to 2 June 2025 (B1), both ends included: v1-v3 and v8-v9.
    figures = take_up(analyst, start=D(2025, 3, 3), end=D(2025, 6, 2))
    assert _counts(_row(figures, "NPS London")) == (3, 2, 2, 1, 1, 1)
    assert _counts(_row(figures, "NPS Wales")) == (2, 1, 1, 1, 0, 1)
    # The day after A1 to the day before B1: nobody.
    figures = take_up(analyst, start=D(2025, 3, 4), end=D(2025, 6, 1))
    assert figures.is_empty and figures.total.to_first_contact.count == 0
    assert figures.total.to_first_contact.median is None
    # The year 2025 excludes A3 (31 December 2024) and includes A2 (31 December 2025).
    figures = take_up(analyst, start=D(2025, 1, 1), end=D(2025, 12, 30))
    assert _row(figures, "NPS London").eligible == 3  # v4's A2 falls out


def test_a_provider_sees_only_its_own_figures(known, world):
    vlo_b = world["b"][Role.VICTIM_LIAISON_OFFICER]
    figures = take_up(vlo_b, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert not figures.national
    assert [row.label for row in figures.rows] == ["NPS Wales"]
    assert _counts(figures.total) == (3, 2, 2, 2, 1, 1)
    assert figures.total.label == "Total" and figures.total.to_meeting.median == 40
    senior_a = world["a"][Role.SENIOR_MANAGER]
    figures = take_up(senior_a, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert [row.label for row in figures.rows] == ["NPS London"]
    assert _counts(figures.total) == (4, 3, 3, 2, 2, 1)


def test_the_figures_take_a_constant_number_of_queries(known, world):
    analyst = world["central"][Role.ANALYST]
    assert analyst.roles  # the user's roles, read once per request
    with CaptureQueriesContext(connection) as queries:
        take_up(analyst, start=D(2024, 1, 1), end=D(2025, 12, 31))
    assert len(queries) == 5


# --- The page and the CSV --------------------------------------------------------------------


def _audit_rows():
    return AccessRecord.objects.filter(object_type="victims.take_up")


def test_the_page_shows_the_figures_and_writes_one_audit_row(client, known, world):
    for key, role in [
        ("central", Role.CENTRAL_QA_REVIEWER),
        ("central", Role.CENTRAL_QA_MANAGER),
        ("central", Role.ANALYST),
        ("central", Role.CHIEF_OFFICER),
        ("b", Role.VICTIM_LIAISON_OFFICER),
        ("a", Role.SENIOR_MANAGER),
    ]:
        user = world[key][role]
        client.force_login(user)
        before = AccessRecord.objects.count()
        response = client.get(reverse("victims:take_up"), {"year": "2025"})
        assert response.status_code == 200, role
        assert AccessRecord.objects.count() == before + 1, role
        row = _audit_rows().latest("pk")
        assert (row.user, row.object_id, row.action, row.allowed) == (user, "figures", "view", True)
        content = response.content.decode()
        assert "Named Person" not in content  # figures only
        if key == "central":
            assert "NPS London" in content and "All providers" in content
            assert response.context["figures"].total.eligible == 7
        else:
            mine, theirs = (
                ("NPS Wales", "NPS London") if key == "b" else ("NPS London", "NPS Wales")
            )
            assert mine in content and theirs not in content, role
            assert response.context["figures"].total.eligible == (3 if key == "b" else 4)
        client.logout()


@pytest.mark.parametrize(
    "role", [Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.RESPONSIBLE_OFFICER]
)
def test_other_provider_staff_are_refused(client, world, role):
    client.force_login(world["a"][role])
    assert client.get(reverse("victims:take_up")).status_code == 403
    assert client.get(reverse("victims:take_up_csv")).status_code == 403


def test_an_independent_assessor_and_an_administrator_are_refused(client, world):
    assessor = UserFactory(organisation=IndependentBodyFactory(), role=Role.INDEPENDENT_ASSESSOR)
    for user in (assessor, world["central"][Role.ADMINISTRATOR]):
        client.force_login(user)
        assert client.get(reverse("victims:take_up")).status_code == 403
        assert client.get(reverse("victims:take_up_csv")).status_code == 403
    assert not _audit_rows().filter(allowed=True).exists()


def test_a_vlo_without_a_provider_is_refused_and_the_refusal_recorded(client, world):
    loose = UserFactory(organisation=None, role=Role.VICTIM_LIAISON_OFFICER)
    client.force_login(loose)
    assert client.get(reverse("victims:take_up")).status_code == 403
    assert _audit_rows().get().allowed is False


def test_the_default_period_is_the_last_twelve_months(client, world, murder):
    today = timezone.localdate()
    start, end = last_twelve_months(today)
    assert end == today and (start - timedelta(days=1)).replace(year=today.year) in (
        today,
        today - timedelta(days=1),  # the 29th of February
    )
    sm = world["a"][Role.SENIOR_MANAGER]
    recent = _case_convicted(_case(world, murder, "a", "A200001"), sm, today - timedelta(days=5))
    _person(recent, world["a"][Role.VICTIM_LIAISON_OFFICER])
    old = _case_convicted(_case(world, murder, "a", "A200002"), sm, start - timedelta(days=1))
    _person(old, world["a"][Role.VICTIM_LIAISON_OFFICER])
    client.force_login(world["central"][Role.CHIEF_OFFICER])
    response = client.get(reverse("victims:take_up"))
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (start, end)
    assert figures.total.eligible == 1


@pytest.mark.parametrize(
    "query, message, target",
    [
        (
            {"year": "2025", "start_0": "1", "start_1": "1", "start_2": "2025"},
            "Choose a year or a period, not both",
            "id_year",
        ),
        ({"year": "twenty"}, "Year must be a whole number, like 2025", "id_year"),
        ({"year": "1999"}, f"Year must be between 2000 and {date.today().year}", "id_year"),
        (
            {"start_0": "31", "start_1": "2", "start_2": "2025"},
            "Start of the period must be a real date",
            "id_start_0",
        ),
        (
            {"start_0": "1", "start_1": "", "start_2": "2025"},
            "Start of the period must include a month",
            "id_start_0",
        ),
        (
            {
                "start_0": "2",
                "start_1": "3",
                "start_2": "2025",
                "end_0": "1",
                "end_1": "3",
                "end_2": "2025",
            },
            "End of the period must be the same as or after its start",
            "id_end_0",
        ),
    ],
)
def test_a_bad_period_is_shown_as_errors_keeping_what_was_typed(
    client, world, query, message, target
):
    client.force_login(world["central"][Role.ANALYST])
    response = client.get(reverse("victims:take_up"), query)
    assert_error_summary(response, message, target)
    assert response.context["figures"] is None
    for value in query.values():
        if value:
            assert f'value="{value}"' in response.content.decode()
    assert _audit_rows().count() == 1


def test_the_csv_has_the_same_figures_and_writes_one_audit_row(client, known, world):
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    response = client.get(reverse("victims:take_up_csv"), {"year": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "victims-take-up-2025-01-01-to-2025-12-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Convicted from", "2025-01-01", "to", "2025-12-31"]
    assert rows[2] == ["Providers", "All providers"]
    assert rows[4][:7] == [
        "Provider",
        "Eligible",
        "Informed",
        "Requested",
        "Assessed",
        "Disclosed",
        "Declined",
    ]
    assert rows[5] == ["NPS London", "4", "3", "3", "2", "2", "1", "3", "5", "5.7", "2", "25", "25"]
    assert rows[6] == ["NPS Wales", "3", "2", "2", "2", "1", "1", "3", "4", "7.7", "1", "40", "40"]
    assert rows[7] == [
        "All providers",
        "7",
        "5",
        "5",
        "4",
        "3",
        "2",
        "6",
        "4.5",
        "6.7",
        "3",
        "30",
        "30",
    ]
    assert len(rows) == 8
    assert "Named Person" not in response.content.decode()
    row = _audit_rows().get()
    assert (row.object_id, row.action, row.allowed) == ("figures", "download", True)


def test_the_csv_of_a_provider_holds_its_own_row_only(client, known, world):
    client.force_login(world["b"][Role.VICTIM_LIAISON_OFFICER])
    response = client.get(reverse("victims:take_up_csv"), {"year": "2025"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[2] == ["Providers", "NPS Wales"]
    assert [r[0] for r in rows[5:]] == ["NPS Wales", "Total"]
    assert "NPS London" not in response.content.decode()


def test_a_bad_period_for_the_csv_shows_the_page_with_its_errors(client, world):
    client.force_login(world["central"][Role.ANALYST])
    response = client.get(reverse("victims:take_up_csv"), {"year": "x"})
    assert response["Content-Type"].startswith("text/html")
    assert_error_summary(response, "Year must be a whole number, like 2025", "id_year")


def test_an_empty_period_says_so(client, world):
    client.force_login(world["central"][Role.ANALYST])
    response = client.get(reverse("victims:take_up"), {"year": "2019"})
    assert "No victim or family member became entitled in this period" in response.content.decode()


def test_the_national_roles_find_the_figures_from_their_home_page(client, world):
    for role in (
        Role.ANALYST,
        Role.CHIEF_OFFICER,
        Role.CENTRAL_QA_MANAGER,
        Role.CENTRAL_QA_REVIEWER,
    ):
        client.force_login(world["central"][role])
        assert reverse("victims:take_up") in client.get(reverse("home")).content.decode(), role


def test_a_year_typed_over_a_blank_period_is_accepted(client, world):
    """The period's boxes start blank, so choosing a year alone is never refused as both."""
    client.force_login(world["central"][Role.ANALYST])
    blank = {"start_0": "", "start_1": "", "start_2": "", "end_0": "", "end_1": "", "end_2": ""}
    response = client.get(reverse("victims:take_up"), {"year": "2024", **blank})
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert (
        'name="start_0" id="id_start_0" value=""'
        in client.get(reverse("victims:take_up")).content.decode()
    )
