"""The pages of the victims' records: a case's victims, one person's record and its forms, and the
worklist of entitlement tasks. Who gets each page, the one read-audit row each look writes (with
no name in it), and forms that keep what was typed when they refuse it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Case
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.reviews.conftest import assert_error_summary
from tests.victims.conftest import *  # noqa: F403
from tests.victims.conftest import convicted
from victims import services
from victims.models import EntitlementTask, Relationship, RequestState, TaskStatus

pytestmark = pytest.mark.django_db

NAME_PARTS = ("Ann", "Example")


def date_data(name, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def entitled(qa_complete_case, mother, senior_manager):
    """The mother of the victim of a convicted automatic SFO: her entitlement task is open."""
    convicted(qa_complete_case, senior_manager)
    mother.refresh_from_db()
    return mother


def people(world):
    return {
        "vlo": world["a"][Role.VICTIM_LIAISON_OFFICER],
        "senior_manager": world["a"][Role.SENIOR_MANAGER],
        "other_vlo": world["b"][Role.VICTIM_LIAISON_OFFICER],
        "other_senior_manager": world["b"][Role.SENIOR_MANAGER],
        "sfo_reviewer": world["a"][Role.SFO_REVIEWER],
        "responsible_officer": world["a"][Role.RESPONSIBLE_OFFICER],
        "analyst": world["central"][Role.ANALYST],
        "chief_officer": world["central"][Role.CHIEF_OFFICER],
        "central_qa": world["central"][Role.CENTRAL_QA_MANAGER],
    }


def assert_one_clean_row(before: int, user, object_type: str, object_id: str, action="view"):
    rows = list(AccessRecord.objects.order_by("pk")[before:])
    assert len(rows) == 1, [(r.object_type, r.object_id, r.action) for r in rows]
    row = rows[0]
    assert (row.user, row.object_type, row.object_id, row.action, row.allowed) == (
        user,
        object_type,
        object_id,
        action,
        True,
    )
    for part in NAME_PARTS:
        assert part not in row.object_type and part not in row.object_id


# Reading pages (the central team may read them) and recording pages (provider only).
READ = {"case_victims", "victim", "entitlement_tasks"}
CASE_PAGES = {"case_victims", "add_victim"}


def url_of(name, victim):
    if name == "entitlement_tasks":
        return reverse("victims:entitlement_tasks")
    if name in CASE_PAGES:
        return reverse(f"victims:{name}", args=[victim.case_id])
    return reverse(f"victims:{name}", args=[victim.pk])


def audit_of(name, victim):
    if name == "entitlement_tasks":
        return "victims.entitlementtask", "worklist", "list"
    if name == "case_victims":
        return "victims.case_victims", f"case:{victim.case_id}", "list"
    if name == "add_victim":
        return "victims.case_victims", f"case:{victim.case_id}", "add"
    return "victims.victim", str(victim.pk), "view"


def expected_status(name, who):
    if who in {"vlo", "senior_manager"}:
        return 200
    if who == "central_qa":
        return 200 if name in READ else 403
    if who in {"other_vlo", "other_senior_manager"}:
        if name == "entitlement_tasks":
            return 200  # their own provider's worklist
        # Another provider's case and records are not theirs to find: the same answer as for
        # none, so that an id tells them nothing.
        return 404
    return 403  # the rule: SFO staff, responsible officers, analysts, chief officers


@pytest.mark.parametrize(
    "name",
    [
        "case_victims",
        "add_victim",
        "victim",
        "edit_victim",
        "record_contact",
        "vcs_choice",
        "record_request",
        "entitlement_tasks",
    ],
)
def test_each_page_answers_each_role_and_each_look_is_recorded_once(client, world, entitled, name):
    url = url_of(name, entitled)
    for who, user in people(world).items():
        client.force_login(user)
        before = AccessRecord.objects.count()
        response = client.get(url)
        expected = expected_status(name, who)
        assert response.status_code == expected, (who, response.status_code)
        if expected == 200:
            assert_one_clean_row(before, user, *audit_of(name, entitled))
        else:
            refused = AccessRecord.objects.order_by("pk")[before:]
            assert refused and not any(r.allowed for r in refused)
            assert all(part not in r.object_id for r in refused for part in NAME_PARTS)


def test_the_case_page_lists_the_victims_with_their_tasks(client, entitled, vlo):
    client.force_login(vlo)
    content = client.get(reverse("victims:case_victims", args=[entitled.case_id])).content.decode()
    assert "Ann Example" in content
    assert "Mother of the victim" in content
    assert "The victim died" in content
    assert entitled.entitlement.due_on.strftime("%-d %b %Y") in content
    assert "On track" in content
    assert reverse("victims:victim", args=[entitled.pk]) in content
    assert reverse("victims:add_victim", args=[entitled.case_id]) in content
    assert "Yes: an automatic SFO with a qualifying conviction" in content
    assert "Central QA of the review" in content and "Complete" in content


def test_the_case_page_tags_an_overdue_and_a_due_soon_task(client, entitled, vlo):
    client.force_login(vlo)
    url = reverse("victims:case_victims", args=[entitled.case_id])
    task = entitled.entitlement
    EntitlementTask.objects.filter(pk=task.pk).update(
        started_on=timezone.localdate() - timedelta(days=30),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    assert "Overdue" in client.get(url).content.decode()
    EntitlementTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate())
    assert "Due soon" in client.get(url).content.decode()


def test_the_case_page_shows_the_open_request(client, entitled, vlo):
    request = services.record_request(
        entitled, by=vlo, requested_on=timezone.localdate(), how_made="phone"
    )
    client.force_login(vlo)
    content = client.get(reverse("victims:case_victims", args=[entitled.case_id])).content.decode()
    assert reverse("victims:request", args=[request.pk]) in content
    assert "Requested" in content
    assert "Not complete" in content  # the request sent the case back for a full QA


def test_the_case_page_has_an_empty_state_and_no_add_link_for_the_central_team(
    client, world, qa_complete_case
):
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    content = client.get(
        reverse("victims:case_victims", args=[qa_complete_case.pk])
    ).content.decode()
    assert "No victim or family member is recorded for this case yet" in content
    assert reverse("victims:add_victim", args=[qa_complete_case.pk]) not in content
    assert "Not yet: victims are entitled" in content


def test_a_case_whose_review_the_provider_was_directed_to_do_refuses_its_vlo(
    client, world, entitled
):
    """The reviewing provider sees the case, but not its victims: 403, recorded."""
    Case.objects.filter(pk=entitled.case_id).update(reviewing_provider=world["b"]["provider"])
    other = world["b"][Role.VICTIM_LIAISON_OFFICER]
    client.force_login(other)
    response = client.get(reverse("victims:case_victims", args=[entitled.case_id]))
    assert response.status_code == 403
    assert AccessRecord.objects.filter(
        user=other, allowed=False, object_id=f"case:{entitled.case_id}"
    ).exists()


def test_the_victim_page_shows_the_record(client, entitled, vlo):
    services.record_contact(
        entitled,
        by=vlo,
        made_on=timezone.localdate(),
        method="phone",
        outcome="no_answer",
        notes="Try after 6pm",
    )
    client.force_login(vlo)
    content = client.get(reverse("victims:victim", args=[entitled.pk])).content.decode()
    assert "Ann Example" in content and "07700 900123" in content
    assert "No answer" in content and "Try after 6pm" in content
    assert "Record a contact" in content
    assert reverse("victims:record_request", args=[entitled.pk]) in content
    assert reverse("victims:vcs_choice", args=[entitled.pk]) in content
    assert "Ann Example" not in content[: content.index("</title>")]


def test_the_central_team_reads_the_record_without_the_forms(client, world, entitled):
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    content = client.get(reverse("victims:victim", args=[entitled.pk])).content.decode()
    assert "Ann Example" in content
    assert reverse("victims:record_contact", args=[entitled.pk]) not in content
    assert reverse("victims:vcs_choice", args=[entitled.pk]) not in content


def test_a_missing_record_is_not_found_and_recorded(client, vlo, entitled):
    client.force_login(vlo)
    response = client.get(reverse("victims:victim", args=[entitled.pk + 1000]))
    assert response.status_code == 404
    assert AccessRecord.objects.filter(
        user=vlo, allowed=False, object_id=str(entitled.pk + 1000)
    ).exists()


# --- The forms -----------------------------------------------------------------------------------


def test_adding_a_victim_opens_their_task_and_shows_their_record(
    client, qa_complete_case, vlo, entitled
):
    client.force_login(vlo)
    response = client.post(
        reverse("victims:add_victim", args=[qa_complete_case.pk]),
        {
            "full_name": "Sid Example",
            "relationship": "family",
            "relationship_to_victim": "son",
            "victim_died": "on",
            "age_band": "adult",
            "preferred_contact": "email",
            "email": "sid@example.org",
            "vcs_officer": vlo.pk,
        },
    )
    son = qa_complete_case.victims.get(full_name="Sid Example")
    assert response.status_code == 302
    assert response["Location"] == reverse("victims:victim", args=[son.pk])
    assert son.victim_died and son.vcs_officer == vlo
    assert son.entitlement.status == TaskStatus.OPEN
    assert "Sid" not in response["Location"]


def test_adding_a_victim_with_missing_answers_keeps_what_was_typed(client, qa_complete_case, vlo):
    client.force_login(vlo)
    response = client.post(
        reverse("victims:add_victim", args=[qa_complete_case.pk]),
        {
            "full_name": "",
            "relationship": "family",
            "age_band": "adult",
            "phone": "07700 900999",
            "support_needs": "Needs an interpreter",
        },
    )
    assert_error_summary(response, "Enter their full name", "id_full_name")
    content = response.content.decode()
    assert "Say how they are related to the victim" in content
    assert 'value="07700 900999"' in content and "Needs an interpreter" in content
    assert not qa_complete_case.victims.exists()


def test_the_vcs_officer_is_chosen_among_the_providers_vlos(client, world, qa_complete_case, vlo):
    client.force_login(vlo)
    url = reverse("victims:add_victim", args=[qa_complete_case.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["vcs_officer"].queryset) == [vlo]
    other = world["b"][Role.VICTIM_LIAISON_OFFICER]
    response = client.post(
        url,
        {
            "full_name": "X Y",
            "relationship": "victim",
            "age_band": "adult",
            "vcs_officer": other.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_editing_a_victim_changes_the_details(client, entitled, senior_manager):
    client.force_login(senior_manager)
    url = reverse("victims:edit_victim", args=[entitled.pk])
    assert 'value="Ann Example"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "full_name": "Ann Example",
            "relationship": "family",
            "relationship_to_victim": "mother",
            "victim_died": "on",
            "age_band": "adult",
            "phone": "07700 900456",
            "preferred_contact": "letter",
            "address": "1 High Street",
        },
    )
    assert response.status_code == 302
    entitled.refresh_from_db()
    assert (entitled.phone, entitled.preferred_contact, entitled.address) == (
        "07700 900456",
        "letter",
        "1 High Street",
    )


def test_a_contact_that_informs_closes_the_task(client, entitled, vlo):
    client.force_login(vlo)
    response = client.post(
        reverse("victims:record_contact", args=[entitled.pk]),
        {
            **date_data("made_on", timezone.localdate()),
            "method": "phone",
            "outcome": "informed",
            "notes": "Explained it.",
        },
    )
    assert response.status_code == 302
    entitled.entitlement.refresh_from_db()
    assert entitled.entitlement.status == TaskStatus.DONE


def test_a_contact_with_a_bad_date_keeps_what_was_typed(client, entitled, vlo):
    client.force_login(vlo)
    response = client.post(
        reverse("victims:record_contact", args=[entitled.pk]),
        {
            "made_on_0": "31",
            "made_on_1": "2",
            "made_on_2": "2026",
            "method": "visit",
            "notes": "She was out; left a card.",
        },
    )
    assert_error_summary(response, "Date of the contact must be a real date", "id_made_on_0")
    content = response.content.decode()
    assert "Choose what came of the contact" in content
    assert "She was out; left a card." in content
    assert 'value="31"' in content
    assert 'value="visit" checked' in content
    assert not entitled.contacts.exists()


def test_a_contact_in_the_future_is_refused(client, entitled, vlo):
    client.force_login(vlo)
    response = client.post(
        reverse("victims:record_contact", args=[entitled.pk]),
        {
            **date_data("made_on", timezone.localdate() + timedelta(days=2)),
            "method": "phone",
            "outcome": "informed",
        },
    )
    assert_error_summary(response, "Date of the contact cannot be in the future", "id_made_on_0")


def test_the_vcs_choice_form(client, entitled, vlo):
    client.force_login(vlo)
    url = reverse("victims:vcs_choice", args=[entitled.pk])
    response = client.post(url, date_data("on", timezone.localdate()))
    assert_error_summary(response, "Say whether they opted in or declined", "id_choice_0")
    assert f'value="{timezone.localdate().day}"' in response.content.decode()
    response = client.post(url, {"choice": "opted_in", **date_data("on", timezone.localdate())})
    assert response.status_code == 302
    entitled.refresh_from_db()
    assert entitled.vcs == "opted_in"


def test_recording_a_request_goes_to_the_request_and_flags_the_case(client, entitled, vlo):
    client.force_login(vlo)
    response = client.post(
        reverse("victims:record_request", args=[entitled.pk]),
        {**date_data("requested_on", timezone.localdate()), "how_made": "letter"},
    )
    request = entitled.requests.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("victims:request", args=[request.pk])
    assert request.state == RequestState.REQUESTED
    entitled.case.refresh_from_db()
    assert entitled.case.disclosure_requested_on == timezone.localdate()


def test_a_second_open_request_is_refused_on_the_form(client, entitled, vlo):
    services.record_request(entitled, by=vlo, requested_on=timezone.localdate(), how_made="phone")
    client.force_login(vlo)
    response = client.post(
        reverse("victims:record_request", args=[entitled.pk]),
        {**date_data("requested_on", timezone.localdate()), "how_made": "letter"},
    )
    assert_error_summary(response, "This person has a request open already.", "id_requested_on_0")
    assert 'value="letter" checked' in response.content.decode()


# --- The worklist --------------------------------------------------------------------------------


def test_the_worklist_shows_open_tasks_soonest_first_with_their_rag(
    client, world, entitled, vlo, senior_manager
):
    case = entitled.case
    later = services.add_victim(
        case,
        by=vlo,
        full_name="Bea Later",
        relationship=Relationship.FAMILY,
        relationship_to_victim="sister",
    )
    done = services.add_victim(
        case,
        by=vlo,
        full_name="Dan Done",
        relationship=Relationship.FAMILY,
        relationship_to_victim="brother",
    )
    services.record_contact(
        done, by=vlo, made_on=timezone.localdate(), method="letter", outcome="letter_sent"
    )
    EntitlementTask.objects.filter(victim=entitled).update(
        started_on=timezone.localdate() - timedelta(days=30),
        due_on=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(vlo)
    response = client.get(reverse("victims:entitlement_tasks"))
    rows = response.context["rows"]
    assert [row.task.victim_id for row in rows] == [entitled.pk, later.pk]
    assert [row.rag for row in rows] == ["red", "green"]
    content = response.content.decode()
    # The case and the relationship, never a name: the names are on the records, each recorded.
    assert "Ann Example" not in content and "Bea Later" not in content
    assert "Mother of the victim" in content and "Sister of the victim" in content
    assert reverse("victims:victim", args=[entitled.pk]) in content
    assert "Dan Done" not in content
    assert reverse("victims:case_victims", args=[case.pk]) in content
    assert "Overdue" in content

    # The other provider's VLO sees none of them; the central team sees them all.
    client.force_login(world["b"][Role.VICTIM_LIAISON_OFFICER])
    response = client.get(reverse("victims:entitlement_tasks"))
    assert list(response.context["rows"]) == []
    assert "No one is waiting to be told of their entitlement" in response.content.decode()
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    assert len(client.get(reverse("victims:entitlement_tasks")).context["rows"]) == 2


def test_the_worklist_is_paginated_with_one_audit_row_per_page(client, entitled, vlo):
    for n in range(25):
        services.add_victim(
            entitled.case,
            by=vlo,
            full_name=f"Relative {n}",
            relationship=Relationship.FAMILY,
            relationship_to_victim="cousin",
        )
    client.force_login(vlo)
    before = AccessRecord.objects.count()
    first = client.get(reverse("victims:entitlement_tasks"))
    assert len(first.context["rows"]) == 25
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("victims:entitlement_tasks") + "?page=2")
    assert len(second.context["rows"]) == 1
    assert AccessRecord.objects.count() == before + 2


def test_the_vlos_home_page_links_to_the_worklist(client, vlo):
    client.force_login(vlo)
    assert reverse("victims:entitlement_tasks") in client.get(reverse("home")).content.decode()
