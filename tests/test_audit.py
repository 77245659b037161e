"""The write history (pghistory triggers) and the read audit."""

import pytest
from django.db import InternalError, transaction
from django.http import HttpResponse
from django.urls import reverse

from reviews.models import Case
from sfo.audit.models import AccessRecord
from sfo.audit.services import record_access
from sfo.people.roles import Role

pytestmark = pytest.mark.django_db


def test_every_write_to_a_case_is_recorded_even_a_bulk_update(shared_case):
    Case.objects.filter(pk=shared_case.pk).update(person_name="Changed by a bulk update")
    events = list(shared_case.events.order_by("pgh_id").values_list("pgh_label", "person_name"))
    assert events[0][0] == "insert"
    assert events[-1] == ("update", "Changed by a bulk update")


def test_a_write_through_a_request_records_who_made_it_and_the_request_id(client, staff):
    administrator = staff[Role.ADMINISTRATOR]
    client.force_login(administrator)
    response = client.post(
        reverse("admin:people_organisation_add"),
        {
            "name": "Probation Service Wales",
            "code": "ps-wales",
            "kind": "probation_division",
            "area": "Wales",
            "active": "on",
        },
    )
    assert response.status_code == 302
    from sfo.people.models import Organisation

    event = Organisation.objects.get(code="ps-wales").events.get()
    assert event.pgh_context.metadata["user"] == administrator.pk
    assert event.pgh_context.metadata["request_id"] == response["X-Request-ID"]


def test_the_password_is_not_copied_into_the_history_of_users(staff):
    user = staff[Role.SFO_REVIEWER]
    user.set_password("another-password-5678")
    user.save()
    event_model = user.events.model
    assert "password" not in {field.name for field in event_model._meta.fields}


def test_looking_at_a_case_is_recorded_without_personal_data(client, staff, shared_case):
    reviewer = staff[Role.SFO_REVIEWER]
    client.force_login(reviewer)
    response = client.get(reverse("reviews:case_detail", args=[shared_case.pk]))
    record = AccessRecord.objects.get(user=reviewer)
    assert (record.object_type, record.object_id, record.action, record.allowed) == (
        "reviews.case",
        str(shared_case.pk),
        "view",
        True,
    )
    assert record.request_id == response["X-Request-ID"]
    stored = " ".join(str(getattr(record, f.attname)) for f in AccessRecord._meta.fields)
    assert shared_case.person_name not in stored and shared_case.crn not in stored


def test_a_refused_page_is_recorded(client, staff):
    analyst = staff[Role.ANALYST]
    client.force_login(analyst)
    assert client.get(reverse("admin:index")).status_code == 403
    record = AccessRecord.objects.get(user=analyst)
    assert (record.object_type, record.allowed, record.action) == ("view", False, "open")
    assert record.object_id == "admin:index"


def test_the_access_log_cannot_be_changed_or_deleted(staff, shared_case):
    record = record_access(staff[Role.ANALYST], shared_case)
    with pytest.raises(InternalError), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).update(allowed=False)
    with pytest.raises(InternalError), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).delete()
    assert AccessRecord.objects.get(pk=record.pk).allowed is True


def test_a_refusal_recorded_by_a_service_carries_the_request_id_and_is_not_recorded_twice(staff):
    """A service refusing an action records it with the user only; the row still names the request
    being served, so the access wrapper sees the refusal recorded and writes no second row."""
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from sfo.access import SIGNED_IN, access
    from sfo.audit.middleware import RequestIdMiddleware

    user = staff[Role.SFO_REVIEWER]

    @access(SIGNED_IN)
    def refusing_view(request):
        record_access(user, object_type="reviews.case", object_id="7", allowed=False)
        raise PermissionDenied

    request = RequestFactory().get("/somewhere/")
    request.user = user

    def respond(request):
        try:
            return refusing_view(request)
        except PermissionDenied:
            return HttpResponse(status=403)

    response = RequestIdMiddleware(respond)(request)

    rows = AccessRecord.objects.filter(allowed=False)
    assert [(r.object_id, r.request_id) for r in rows] == [("7", response["X-Request-ID"])]
    # Outside a request, nothing is invented.
    assert record_access(user, object_type="reviews.case", object_id="8").request_id == ""
