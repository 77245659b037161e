"""Roles are groups whose permissions follow sfo.people.roles after every migrate."""

import pytest
from django.contrib.auth.models import Group

from sfo.people.roles import ROLE_PERMISSIONS, Role, sync_role_groups

pytestmark = pytest.mark.django_db


def test_each_role_is_a_group_with_exactly_its_permissions():
    for role in Role:
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(ROLE_PERMISSIONS[role]), role


def test_a_permission_granted_by_hand_is_taken_away_on_the_next_sync():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=Role.ANALYST.value)
    group.permissions.add(Permission.objects.get(codename="change_user"))
    sync_role_groups()
    assert not group.permissions.filter(codename="change_user").exists()


def test_the_line_management_chain_stops_at_a_loop(staff):
    reviewer, manager = staff[Role.SFO_REVIEWER], staff[Role.SFO_REVIEW_MANAGER]
    reviewer.line_manager = manager
    manager.line_manager = reviewer
    reviewer.save()
    manager.save()
    assert reviewer.line_management_chain() == [manager]
    assert manager.is_in_line_management_of(reviewer)
    assert not staff[Role.SENIOR_MANAGER].is_in_line_management_of(reviewer)
