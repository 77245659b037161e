"""Administrators keep the catalogue in the admin: they change a rule as data and retire an offence
by unticking it; nobody deletes one."""

import pytest
from django.urls import reverse

from offences.models import Offence, Rule
from sfo.people.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, staff):
    client.force_login(staff[Role.ADMINISTRATOR])
    return client


def test_an_administrator_lists_filters_and_searches_the_catalogue(administrator):
    url = reverse("admin:offences_offence_changelist")
    assert administrator.get(url).status_code == 200
    response = administrator.get(url, {"rule__exact": Rule.AUTOMATIC, "q": "rape"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("number", flat=True)) == [46, 52, 54]


def test_an_administrator_changes_a_rule_as_data(administrator):
    offence = Offence.objects.get(number=6)
    url = reverse("admin:offences_offence_change", args=[offence.pk])
    form = administrator.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(rule=Rule.AUTOMATIC, rule_source="Policy change agreed by the SFO team, 2026")
    data["active"] = "on"
    response = administrator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    offence.refresh_from_db()
    assert offence.rule == Rule.AUTOMATIC
    assert offence.events.filter(rule=Rule.AUTOMATIC).exists()


def test_nobody_deletes_an_offence(administrator):
    offence = Offence.objects.get(number=4)
    url = reverse("admin:offences_offence_delete", args=[offence.pk])
    assert administrator.get(url).status_code == 403
    assert administrator.post(url, {"post": "yes"}).status_code == 403
    assert Offence.objects.filter(pk=offence.pk).exists()


def test_other_roles_are_refused_the_catalogue_admin(client, staff):
    client.force_login(staff[Role.CENTRAL_QA_MANAGER])
    assert client.get(reverse("admin:offences_offence_changelist")).status_code == 403
