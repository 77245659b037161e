"""Identifying a case at the first court hearing and notifying the central team, as provider staff
meet it in the browser: the clocks it starts, the qualification it finds, and the impossible
answers it refuses with a GOV.UK error summary, keeping what was typed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from offences.models import Offence
from reviews import services
from reviews.journeys import advance, complete_notification
from reviews.models import Case
from reviews.workflow import CaseState
from sfo.clocks.calendar import add_calendar_months, add_working_days
from sfo.clocks.models import ClockKind, ClockStatus
from sfo.people.roles import Role
from tests.reviews.conftest import actors_of, assert_error_summary

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def hearing_day():
    """A first hearing three weeks ago: in the past, as the forms require."""
    return today() - timedelta(days=21)


def date_boxes(name, day: date | None = None, *, boxes=None):
    """The three GOV.UK date boxes of one field, as the browser posts them."""
    values = boxes if boxes is not None else (day.day, day.month, day.year)
    return {f"{name}_{index}": str(value) for index, value in enumerate(values)}


def identification(**changes):
    data = {
        "person_name": "Sam Baker",
        "crn": "A123456",
        "offence": str(Offence.objects.get(title="Murder").pk),
        **date_boxes("first_hearing_date", hearing_day()),
    }
    data.update(changes)
    return data


def identified(world, offence, key="a", crn="A123456", hearing=None):
    return services.identify_case(
        by=world[key][Role.SFO_REVIEWER],
        crn=crn,
        person_name="Sam Baker",
        offence=offence,
        first_hearing_date=hearing or hearing_day(),
    )


def conditional_offence():
    return (
        Offence.objects.filter(rule="conditional", precondition="none", active=True)
        .order_by("number")
        .first()
    )


def notification(case, offence, *, dates=None, offences=None, **changes):
    """A complete, valid notification of `case` as the grouped page posts it. `dates` replaces
    any of the date fields (a date, or a tuple of the three boxes as typed)."""
    hearing = case.first_hearing_date
    when = {
        "date_of_birth": date(1985, 6, 1),
        "supervision_start": hearing - timedelta(days=300),
        "supervision_end": None,
        "offence_date": hearing - timedelta(days=3),
        "charge_date": hearing - timedelta(days=2),
        "first_hearing_date": hearing,
    }
    when.update(dates or {})
    data = {
        "person_name": case.person_name,
        "crn": case.crn,
        "pnc_number": "2019/0012345A",
        "gender": "male",
        "ethnicity": "",
        "supervision_type": "licence",
        "managing_team": str(case.managing_provider.teams.first().pk),
        "responsible_officer": "",
        "rosh_at_offence": "high",
        "highest_rosh": "high",
        "mappa_category": "none",
        "mappa_level": "",
        "court": "Leeds Crown Court",
        "police_force": "West Yorkshire Police",
    }
    for name, value in when.items():
        if value is None:
            data.update(date_boxes(name, boxes=("", "", "")))
        elif isinstance(value, tuple):
            data.update(date_boxes(name, boxes=value))
        else:
            data.update(date_boxes(name, value))
    # As the page renders it: one form per offence already recorded, then an empty one.
    charged = offences if offences is not None else [{"offence": str(offence.pk)}]
    initial = case.charged_offences.count()
    total = max(len(charged), initial + 1)
    charged = charged + [{"offence": "", "form": ""}] * (total - len(charged))
    data.update(
        {
            "offences-TOTAL_FORMS": str(total),
            "offences-INITIAL_FORMS": str(initial),
            "offences-MIN_NUM_FORMS": "0",
            "offences-MAX_NUM_FORMS": "5",
        }
    )
    for index, facts in enumerate(charged):
        data.update({f"offences-{index}-{key}": value for key, value in facts.items()})
    data.update(changes)
    return data


def queue_section(response, title):
    content = response.content.decode()
    start = content.index(f">{title}</h2>")
    return content[start : content.index("</section>", start)]


# --- Identification ---------------------------------------------------------------------------


def test_provider_staff_identify_a_case_and_both_ten_day_clocks_start(client, world, murder):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    hearing = hearing_day()

    response = client.post(reverse("reviews:identify"), identification(crn="x123456"))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reviews:notification", args=[case.pk])
    assert case.state == CaseState.IDENTIFIED
    assert case.crn == "X123456"
    assert case.managing_provider == world["a"]["provider"]
    assert list(case.charged_offences.values_list("offence", flat=True)) == [murder.pk]
    due = add_working_days(hearing, 10)
    clocks = {clock.kind: clock for clock in case.clocks.all()}
    assert set(clocks) == {ClockKind.NOTIFICATION, ClockKind.EARLY_LOOK}
    for clock in clocks.values():
        assert (clock.started_on, clock.due_on, clock.status) == (
            hearing,
            due,
            ClockStatus.RUNNING,
        )


def test_ten_working_days_after_18_december_2026_is_6_january_2027():
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 6)


@pytest.mark.parametrize("role", [Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER])
def test_review_managers_and_senior_managers_identify_cases_too(client, world, murder, role):
    client.force_login(world["a"][role])
    response = client.post(reverse("reviews:identify"), identification())
    assert response.status_code == 302
    assert Case.objects.get().identified_by == world["a"][role]


@pytest.mark.parametrize(
    ("changes", "message", "target"),
    [
        (
            {"crn": "12345"},
            "Enter a CRN as one capital letter and six digits, like X123456",
            "id_crn",
        ),
        (
            {"crn": "XX12345"},
            "Enter a CRN as one capital letter and six digits, like X123456",
            "id_crn",
        ),
        ({"person_name": ""}, "This field is required.", "id_person_name"),
        ({"offence": ""}, "This field is required.", "id_offence"),
        (
            date_boxes("first_hearing_date", boxes=("", "", "")),
            "This field is required.",
            "id_first_hearing_date_0",
        ),
        (
            date_boxes("first_hearing_date", boxes=("31", "2", "2026")),
            "Date of the first court hearing must be a real date",
            "id_first_hearing_date_0",
        ),
    ],
    ids=["short-crn", "two-letters", "no-name", "no-offence", "no-hearing", "31-february"],
)
def test_a_bad_identification_is_refused_with_a_summary_and_what_was_typed_kept(
    client, world, murder, changes, message, target
):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    data = identification(**changes)

    response = client.post(reverse("reviews:identify"), data)

    assert_error_summary(response, message, target)
    assert not Case.objects.exists()
    content = response.content.decode()
    for name in ("person_name", "crn"):
        if data[name]:
            assert f'value="{data[name]}"' in content
    for index in range(3):
        typed = data[f"first_hearing_date_{index}"]
        if typed:
            assert f'id="id_first_hearing_date_{index}" value="{typed}"' in content


def test_a_hearing_in_the_future_is_refused(client, world, murder):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    tomorrow = today() + timedelta(days=1)

    response = client.post(
        reverse("reviews:identify"),
        identification(**date_boxes("first_hearing_date", tomorrow)),
    )

    assert_error_summary(
        response,
        "Date of the first court hearing must be today or in the past",
        "id_first_hearing_date_0",
    )
    assert f'value="{tomorrow.year}"' in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER, Role.ANALYST])
def test_the_central_team_and_analysts_cannot_identify_a_case(client, world, murder, role):
    client.force_login(world["central"][role])
    assert client.get(reverse("reviews:identify")).status_code == 403
    assert client.post(reverse("reviews:identify"), identification()).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.RESPONSIBLE_OFFICER, Role.VICTIM_LIAISON_OFFICER], ids=str)
def test_officers_outside_the_sfo_team_cannot_identify_a_case(client, world, murder, role):
    client.force_login(world["a"][role])
    assert client.post(reverse("reviews:identify"), identification()).status_code == 403
    assert not Case.objects.exists()


def test_the_identification_is_on_the_case_page_timeline(client, world, murder):
    reviewer = world["a"][Role.SFO_REVIEWER]
    client.force_login(reviewer)
    client.post(reverse("reviews:identify"), identification())
    case = Case.objects.get()

    response = client.get(reverse("reviews:case_detail", args=[case.pk]))

    content = response.content.decode()
    timeline = content[content.index("moj-timeline") :]
    assert "Identified" in timeline
    assert "Identified at the first court hearing" in timeline
    assert escape(reviewer.get_full_name()) in timeline
    assert "Complete the notification" in content


def test_a_provider_reviewer_finds_the_identified_case_under_notifications_to_complete(
    client, world, murder
):
    case = identified(world, murder)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    section = queue_section(client.get("/"), "Notifications to complete")

    assert reverse("reviews:case_detail", args=[case.pk]) in section
    assert add_working_days(case.first_hearing_date, 10).strftime("%-d %b %Y") in section


def test_another_providers_reviewer_has_no_such_notification_to_complete(client, world, murder):
    case = identified(world, murder)
    client.force_login(world["b"][Role.SFO_REVIEWER])

    section = queue_section(client.get("/"), "Notifications to complete")

    assert reverse("reviews:case_detail", args=[case.pk]) not in section


# --- Notification -----------------------------------------------------------------------------


def test_the_notification_page_offers_the_grouped_form(client, world, murder):
    case = identified(world, murder)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    response = client.get(reverse("reviews:notification", args=[case.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    for heading in ("The person on probation", "Supervision", "Risk", "The offence"):
        assert heading in content
    assert 'name="offences-TOTAL_FORMS"' in content
    assert 'name="offence_date_0"' in content
    # The offence given at identification is already selected.
    assert f'<option value="{murder.pk}" selected>' in content


def test_a_complete_notification_goes_to_the_check_page_with_an_automatic_qualification(
    client, world, murder
):
    case = identified(world, murder)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    response = client.post(
        reverse("reviews:notification", args=[case.pk]), notification(case, murder)
    )

    assert response.status_code == 302
    assert response.url == reverse("reviews:notification_check", args=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED
    assert (case.court, case.pnc_number, case.qualification) == (
        "Leeds Crown Court",
        "2019/0012345A",
        "automatic",
    )
    check = client.get(response.url)
    content = check.content.decode()
    assert check.status_code == 200
    assert "Automatic SFO" in content
    assert escape("Automatic: Murder always needs a review.") in content
    assert "Leeds Crown Court" in content
    assert "This may be a duplicate" not in content


def test_a_conditional_offence_with_high_rosh_qualifies_conditionally(client, world, murder):
    offence = conditional_offence()
    case = identified(world, offence)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    client.post(reverse("reviews:notification", args=[case.pk]), notification(case, offence))
    content = client.get(reverse("reviews:notification_check", args=[case.pk])).content.decode()

    assert "Conditional SFO" in content
    assert (
        escape(
            f"Conditional: {offence.title} qualifies because the person was assessed as high "
            "RoSH during supervision."
        )
        in content
    )


def test_a_conditional_offence_with_medium_highest_rosh_does_not_qualify(client, world, murder):
    offence = conditional_offence()
    case = identified(world, offence)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    client.post(
        reverse("reviews:notification", args=[case.pk]),
        notification(case, offence, rosh_at_offence="medium", highest_rosh="medium"),
    )
    content = client.get(reverse("reviews:notification_check", args=[case.pk])).content.decode()

    assert "Not a qualifying offence" in content
    assert "the highest was medium" in content
    assert Case.objects.get(pk=case.pk).qualification == "not_qualifying"


def test_sending_the_notification_meets_its_clock_and_starts_the_three_month_review_clock(
    client, world, murder
):
    case = identified(world, murder)
    client.force_login(world["a"][Role.SFO_REVIEWER])
    client.post(reverse("reviews:notification", args=[case.pk]), notification(case, murder))

    response = client.post(reverse("reviews:notification_check", args=[case.pk]))

    assert response.status_code == 302
    assert response.url == reverse("reviews:case_detail", args=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED
    assert case.notified_at is not None
    clocks = {clock.kind: clock for clock in case.clocks.all()}
    assert clocks[ClockKind.NOTIFICATION].status == ClockStatus.MET
    assert clocks[ClockKind.NOTIFICATION].met_on == today()
    review = clocks[ClockKind.REVIEW]
    assert (review.status, review.started_on, review.due_on) == (
        ClockStatus.RUNNING,
        today(),
        add_calendar_months(today(), 3),
    )
    page = client.get(response.url).content.decode()
    assert "Notification sent to the central SFO review team" in page
    assert "Notified" in page


@pytest.mark.parametrize(
    ("dates", "changes", "message", "target"),
    [
        (
            {"first_hearing_date": "offence-1"},
            {},
            "The first court hearing cannot be before the offence",
            "id_first_hearing_date_0",
        ),
        (
            {"charge_date": "offence-1"},
            {},
            "The charge cannot be before the offence",
            "id_charge_date_0",
        ),
        (
            {"charge_date": "tomorrow", "first_hearing_date": "tomorrow"},
            {},
            "Date of the charge must be today or in the past",
            "id_charge_date_0",
        ),
        (
            {"supervision_start": "offence+1"},
            {},
            "The offence must fall within the supervision: it is before its start",
            "id_offence_date_0",
        ),
        (
            {"supervision_end": "offence-1"},
            {},
            "The offence is more than 0 days after the supervision ended, so it is not an SFO",
            "id_offence_date_0",
        ),
        (
            {"date_of_birth": ("31", "02", "2026")},
            {},
            "Date of birth must be a real date",
            "id_date_of_birth_0",
        ),
        (
            {"date_of_birth": ("1", "6", "")},
            {},
            "Date of birth must include a year",
            "id_date_of_birth_0",
        ),
        (
            {},
            {"pnc_number": "12345"},
            "Enter a PNC number like 2019/0012345A: the year, a slash, up to 7 digits and a letter",
            "id_pnc_number",
        ),
        (
            {},
            {"crn": "12345"},
            "Enter a CRN as one capital letter and six digits, like X123456",
            "id_crn",
        ),
        (
            {},
            {"mappa_category": "2", "mappa_level": ""},
            "Select the MAPPA level",
            "id_mappa_level",
        ),
        ({}, {"court": ""}, "This field is required.", "id_court"),
        ({}, {"offences-0-offence": ""}, "Select the offence charged", "id_offences-0-offence"),
    ],
    ids=[
        "hearing-before-offence",
        "charge-before-offence",
        "future-charge",
        "offence-before-supervision",
        "offence-after-supervision",
        "31-february",
        "no-year",
        "bad-pnc",
        "bad-crn",
        "mappa-without-level",
        "no-court",
        "no-offence",
    ],
)
def test_an_impossible_notification_is_refused_with_a_message_and_nothing_lost(
    client, world, murder, dates, changes, message, target
):
    case = identified(world, murder)
    offence_day = case.first_hearing_date - timedelta(days=3)
    relative = {
        "offence-1": offence_day - timedelta(days=1),
        "offence+1": offence_day + timedelta(days=1),
        "tomorrow": today() + timedelta(days=1),
    }
    dates = {name: relative.get(value, value) for name, value in dates.items()}
    data = notification(case, murder, dates=dates, **changes)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    response = client.post(reverse("reviews:notification", args=[case.pk]), data)

    assert_error_summary(response, message, target)
    content = response.content.decode()
    # What was typed is all still there.
    assert 'value="West Yorkshire Police"' in content
    if data["court"]:
        assert 'value="Leeds Crown Court"' in content
    assert f'value="{escape(data["pnc_number"])}"' in content
    for index, box in enumerate(("day", "month", "year")):
        typed = data[f"date_of_birth_{index}"]
        if typed:
            assert f'id="id_date_of_birth_{index}" value="{typed}"' in content, box
    # And nothing was saved.
    case.refresh_from_db()
    assert (case.state, case.court, case.qualification) == (CaseState.IDENTIFIED, "", "")


def test_an_offence_on_the_last_day_of_the_supervision_still_counts(client, world, murder):
    case = identified(world, murder)
    offence_day = case.first_hearing_date - timedelta(days=3)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    response = client.post(
        reverse("reviews:notification", args=[case.pk]),
        notification(case, murder, dates={"supervision_end": offence_day}),
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).supervision_end == offence_day


def test_a_second_offence_can_be_charged_and_the_strongest_qualification_wins(
    client, world, murder
):
    offence = conditional_offence()
    case = identified(world, offence)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    client.post(
        reverse("reviews:notification", args=[case.pk]),
        notification(
            case,
            offence,
            offences=[{"offence": str(offence.pk)}, {"offence": str(murder.pk)}],
            rosh_at_offence="medium",
            highest_rosh="medium",
        ),
    )

    case.refresh_from_db()
    assert case.qualification == "automatic"
    assert set(case.charged_offences.values_list("offence", flat=True)) == {offence.pk, murder.pk}


def test_a_likely_duplicate_is_shown_on_the_check_page(client, world, murder):
    hearing = hearing_day()
    earlier = identified(world, murder, key="b", crn="D123456", hearing=hearing)
    complete_notification(earlier, by=world["b"][Role.SFO_REVIEWER], offence=murder)
    case = identified(world, murder, crn="D123456", hearing=hearing)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    client.post(
        reverse("reviews:notification", args=[case.pk]),
        notification(case, murder, dates={"offence_date": hearing - timedelta(days=13)}),
    )
    content = client.get(reverse("reviews:notification_check", args=[case.pk])).content.decode()

    assert "This may be a duplicate" in content
    assert "1 other case of D123456 with an offence within 30 days" in content
    # Named, not linked: the other case may belong to a provider this person cannot see.
    assert str(earlier) in content
    assert reverse("reviews:case_detail", args=[earlier.pk]) not in content
    assert "NPS Wales" in content


def test_an_offence_more_than_30_days_apart_is_not_a_duplicate(client, world, murder):
    hearing = hearing_day()
    earlier = identified(world, murder, crn="D123456", hearing=hearing - timedelta(days=60))
    complete_notification(earlier, by=world["a"][Role.SFO_REVIEWER], offence=murder)
    case = identified(world, murder, crn="D123456", hearing=hearing)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    client.post(reverse("reviews:notification", args=[case.pk]), notification(case, murder))
    content = client.get(reverse("reviews:notification_check", args=[case.pk])).content.decode()

    assert "This may be a duplicate" not in content


@pytest.mark.parametrize("page", ["reviews:notification", "reviews:notification_check"])
def test_another_providers_staff_cannot_open_the_notification(client, world, murder, page):
    case = identified(world, murder)
    client.force_login(world["b"][Role.SFO_REVIEW_MANAGER])

    assert client.get(reverse(page, args=[case.pk])).status_code == 404
    assert client.post(reverse(page, args=[case.pk]), notification(case, murder)).status_code == 404
    case.refresh_from_db()
    assert (case.state, case.court) == (CaseState.IDENTIFIED, "")


@pytest.mark.parametrize("role", [Role.CENTRAL_QA_REVIEWER, Role.ANALYST])
def test_the_central_team_does_not_fill_in_a_notification(client, world, murder, role):
    case = identified(world, murder)
    client.force_login(world["central"][role])
    assert client.get(reverse("reviews:notification", args=[case.pk])).status_code == 403
    assert client.post(reverse("reviews:notification_check", args=[case.pk])).status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.IDENTIFIED


def test_once_sent_the_notification_page_leads_to_the_case(client, world, murder):
    case = advance(identified(world, murder), CaseState.NOTIFIED, actors_of(world), offence=murder)
    client.force_login(world["a"][Role.SFO_REVIEWER])
    detail = reverse("reviews:case_detail", args=[case.pk])

    response = client.get(reverse("reviews:notification", args=[case.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "The notification of this case has already been sent" in response.content.decode()

    posted = client.post(
        reverse("reviews:notification", args=[case.pk]), notification(case, murder)
    )
    assert posted.status_code == 302 and posted.url == detail
    check = client.get(reverse("reviews:notification_check", args=[case.pk]))
    assert check.status_code == 302 and check.url == detail
    sent_again = client.post(reverse("reviews:notification_check", args=[case.pk]))
    assert sent_again.status_code == 302
    assert Case.objects.get(pk=case.pk).transitions.filter(name="notify").count() == 1


def test_an_incomplete_notification_cannot_be_sent_from_the_check_page(client, world, murder):
    case = identified(world, murder)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    response = client.post(reverse("reviews:notification_check", args=[case.pk]), follow=True)

    assert "Complete the notification before sending it" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.IDENTIFIED
