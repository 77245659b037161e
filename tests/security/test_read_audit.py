"""Every look at an offender's or a victim's details leaves exactly the rows the rule says, and the
access log cannot be rewritten.

The rule of the read audit, checked here page by page from the URL patterns:

- a page about one object (a case and each of its pages, a review page, a victim's record, a
  request for disclosure, a redacted copy, a pack, an agency's involvement and its extract, a
  document's page and its download, a sampled review) writes exactly ONE row for one GET: allowed,
  for the person, naming the object or its case, with the response's X-Request-ID;
- a list page writes one row per distinct case it shows (`record_views`, action "list", one
  insert): the case list, the home page's queues, the central QA queue and the alerts inbox;
- no row holds personal data: no offender's or victim's name, no CRN, no member of staff's name;
- the time of a row is timezone-aware UTC, taken during the request.

Pages that show nothing of one person (public pages, administration, figures) are not about an
object and are named below; pages that the shared case's state does not open (a notification
already sent, central QA not yet begun) are opened in their own states by the matrix and the
workflow tests, and named below too, so that a new page is never skipped in silence."""

from datetime import timedelta

import pytest
from django.db import InternalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from reviews.models import Case
from sfo.audit.models import AccessRecord
from sfo.audit.services import record_access
from sfo.people.models import User
from sfo.people.roles import Role
from tests.factories import CaseFactory
from tests.security.test_out_of_scope import OBJECT_URLS
from tests.test_access_matrix import POST_ONLY, build_url
from victims.models import Victim

pytestmark = pytest.mark.django_db

# Pages taking an id that the matrix's shared case, a review being written, does not open with a
# 200: they answer 302 or 404 for its state to everyone.
NOT_OPEN_IN_THIS_STATE = {
    "qa:assessment",  # no central QA yet
    "qa:feedback",
    "reviews:allocation",  # allocated already
    "reviews:case_action",
    "reviews:countersign",  # not sent for local QA
    "reviews:local_qa",
    "reviews:notification",  # sent already
    "reviews:notification_check",
    "reviews:registration",  # registered already
    "victims:feedback",  # the request is new
    "victims:release",
    "victims:sign_off",
}
# Pages taking an id that show nothing of an offender or a victim.
NOT_PERSONAL = {
    "held_submission",  # the person's own form, kept across a timeout: 404 for the matrix's id
    "qa:sample",  # a drawn sample: its cases by reference, for administrators
    "insights:table_csv",  # national figures
}
# The order in which people are tried as the reader of a page: the first who gets a 200.
READERS = [
    Role.SFO_REVIEWER,
    Role.CENTRAL_QA_MANAGER,
    Role.VICTIM_LIAISON_OFFICER,
    Role.SENIOR_MANAGER,
    Role.RESPONSIBLE_OFFICER,
    Role.INDEPENDENT_ASSESSOR,
]

OBJECT_PAGES = [
    (name, pattern)
    for name, pattern in OBJECT_URLS
    if name not in POST_ONLY and name not in NOT_OPEN_IN_THIS_STATE | NOT_PERSONAL
]


def personal_data() -> set[str]:
    """Every offender's and victim's name and CRN, and every member of staff's name."""
    found = set()
    for name, crn in Case.objects.values_list("person_name", "crn"):
        found |= {name, crn}
    found |= set(Victim.objects.values_list("full_name", flat=True))
    found |= {user.get_full_name() for user in User.objects.all()}
    return {value.lower() for value in found if value and value.strip()}


def problems_with(record, *, user, response, before, after, personal) -> list[str]:
    """What is wrong with one row of the read audit written by `response`."""
    wrong = []
    if record.user_id != user.pk or not record.allowed:
        wrong.append(f"row for user {record.user_id}, allowed={record.allowed}")
    if record.request_id != response["X-Request-ID"]:
        wrong.append("request id is not the response's")
    if record.at.utcoffset() != timedelta(0) or not before <= record.at <= after:
        wrong.append(f"time {record.at!r} not in UTC within the request")
    stored = " ".join(str(getattr(record, f.attname)) for f in AccessRecord._meta.fields).lower()
    leaked = [value for value in personal if value in stored]
    if leaked:
        wrong.append(f"personal data in the row: {leaked}")
    return wrong


def get(client, user, url):
    client.force_login(user)
    before = timezone.now()
    response = client.get(url)
    return response, before, timezone.now()


def test_every_page_of_one_object_records_exactly_one_row(client, matrix_world):
    staff, case = matrix_world
    personal = personal_data()
    assert case.person_name.lower() in personal
    wrong = []
    for name, pattern in OBJECT_PAGES:
        url = build_url(name, pattern, case)
        for role in READERS:
            response, before, after = get(client, staff[role], url)
            if response.status_code == 200:
                break
        else:
            wrong.append(f"{name}: nobody of the staff could open {url}")
            continue
        rows = list(AccessRecord.objects.filter(request_id=response["X-Request-ID"]))
        if len(rows) != 1:
            wrong.append(f"{name} as {role.value}: {len(rows)} rows, not one")
            continue
        (record,) = rows
        wrong += [
            f"{name} as {role.value}: {problem}"
            for problem in problems_with(
                record,
                user=staff[role],
                response=response,
                before=before,
                after=after,
                personal=personal,
            )
        ]
        # The row names the page's object or its case, by id.
        ids = {str(case.pk), *(str(value) for value in response.resolver_match.kwargs.values())}
        if record.object_id.rsplit(":", 1)[-1] not in ids:
            wrong.append(f"{name}: the row names {record.object_id}, none of {sorted(ids)}")
    assert wrong == [], "\n".join(wrong)


@pytest.fixture
def listed(matrix_world):
    """Beside the shared case: a case with the central team, and one that is only being
    notified; the SFO reviewer has two alerts on the shared case and one on the other."""
    from qa.selectors import WITH_CENTRAL
    from sfo.alerts.models import Alert

    staff, case = matrix_world
    with_central = CaseFactory(managing_provider=case.managing_provider, reference="SFO-2026-0002")
    Case.objects.filter(pk=with_central.pk).update(state=WITH_CENTRAL[0])
    notified = CaseFactory(managing_provider=case.managing_provider)
    clock = case.clocks.order_by("pk").first()
    for on, kind in ((case, "overdue"), (notified, "due_today")):
        Alert.objects.create(
            recipient=staff[Role.SFO_REVIEWER],
            case=on,
            clock=clock,
            kind=kind,
            day=timezone.localdate(),
            message="A deadline",
        )
    return staff, case, with_central, notified


def shown_on_home(response) -> set[int]:
    queues = response.context["queues"]
    shown = {c.pk for queue in queues for c in queue["cases"]}
    return shown | {copy.review.case_id for copy in response.context["shared_copies"]}


def test_a_list_page_records_each_case_it_shows_once(client, listed):
    staff, case, with_central, notified = listed
    reviewer, manager = staff[Role.SFO_REVIEWER], staff[Role.CENTRAL_QA_MANAGER]
    everyone = {case.pk, with_central.pk, notified.pk}
    pages = [
        ("reviews:case_list", reviewer, lambda response: everyone),
        ("qa:queue", manager, lambda response: {with_central.pk}),
        ("alerts:inbox", reviewer, lambda response: {case.pk, notified.pk}),
        ("home", reviewer, shown_on_home),
        ("home", staff[Role.RESPONSIBLE_OFFICER], shown_on_home),
    ]
    personal = personal_data()
    wrong = []
    for name, user, shown in pages:
        response, before, after = get(client, user, reverse(name))
        assert response.status_code == 200, name
        expected = shown(response)
        assert expected, f"{name} shows no case to check"
        rows = list(AccessRecord.objects.filter(request_id=response["X-Request-ID"]))
        recorded = sorted((r.object_type, r.object_id, r.action) for r in rows)
        wanted = sorted(("reviews.case", str(pk), "list") for pk in expected)
        if recorded != wanted:
            wrong.append(f"{name} as {user.username}: recorded {recorded}, shown {wanted}")
        for record in rows:
            wrong += [
                f"{name}: {problem}"
                for problem in problems_with(
                    record,
                    user=user,
                    response=response,
                    before=before,
                    after=after,
                    personal=personal,
                )
            ]
    assert wrong == [], "\n".join(wrong)


# --- The log cannot be rewritten (beyond tests/test_audit.py's queryset update and delete) -----


@pytest.fixture
def record(staff, shared_case):
    return record_access(staff[Role.ANALYST], shared_case)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accessrecord SET allowed = false WHERE id = %s",
        "UPDATE audit_accessrecord SET user_id = NULL, object_id = 'x' WHERE id = %s",
        "DELETE FROM audit_accessrecord WHERE id = %s",
        # pgtrigger's own trigger steps aside for a session that asks it to: the log must not.
        "SET LOCAL pgtrigger.ignore = '{pgtrigger_access_record_append_only_ea2a9}';"
        " DELETE FROM audit_accessrecord WHERE id = %s",
        "SET LOCAL pgtrigger.ignore = '{pgtrigger_access_record_append_only_ea2a9}';"
        " UPDATE audit_accessrecord SET allowed = false WHERE id = %s",
    ],
    ids=[
        "update",
        "update-who",
        "delete",
        "delete-ignoring-pgtrigger",
        "update-ignoring-pgtrigger",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_row(record, statement):
    refused = pytest.raises(InternalError, match="append-only|Cannot update or delete")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [record.pk])
    assert AccessRecord.objects.filter(pk=record.pk, allowed=True).exists()


def test_a_bulk_update_cannot_change_rows(record, staff, shared_case):
    other = record_access(staff[Role.CHIEF_OFFICER], shared_case)
    record.allowed = other.allowed = False
    with pytest.raises(InternalError), transaction.atomic():
        AccessRecord.objects.bulk_update([record, other], ["allowed"])
    with pytest.raises(InternalError), transaction.atomic():
        AccessRecord.objects.all().update(action="edited")
    assert set(AccessRecord.objects.values_list("allowed", "action")) == {(True, "view")}


def test_the_guards_are_before_update_or_delete_row_triggers_and_times_are_utc():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relname = 'audit_accessrecord' AND NOT t.tgisinternal AND t.tgenabled <> 'D'"
        )
        triggers = dict(cursor.fetchall())
        cursor.execute(
            "SELECT data_type FROM information_schema.columns"
            " WHERE table_name = 'audit_accessrecord' AND column_name = 'at'"
        )
        (column_type,) = cursor.fetchone()
    assert len(triggers) == 2, triggers
    for definition in triggers.values():
        assert "BEFORE DELETE OR UPDATE ON public.audit_accessrecord FOR EACH ROW" in definition
    assert column_type == "timestamp with time zone"
