"""Factories for the people, organisations and cases the tests need."""

from datetime import date

import factory
from django.contrib.auth.models import Group

from qa.models import SampleAssignment
from reviews.models import Case, ResponsibleOfficerPeriod
from sfo.people.models import Organisation, OrganisationKind, Team, User
from sfo.people.roles import Role
from victims.models import Relationship, Victim

PASSWORD = "a-test-password-1234"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"NPS Division {n}")
    code = factory.Sequence(lambda n: f"division-{n}")
    kind = OrganisationKind.PROBATION_DIVISION
    area = "London"


class CentralTeamFactory(OrganisationFactory):
    name = "HMPPS SFO review team"
    code = "hmpps-sfo"
    kind = OrganisationKind.CENTRAL_TEAM


class IndependentBodyFactory(OrganisationFactory):
    name = "Independent SFO quality assurance panel"
    code = "independent-qa"
    kind = OrganisationKind.INDEPENDENT_BODY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff. Pass role=Role.X (or roles=[...]) to put them in that role's group."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        roles = [extracted] if isinstance(extracted, Role) else list(extracted or [])
        if create and roles:
            self.groups.add(*Group.objects.filter(name__in=[r.value for r in roles]))
        if create:
            self.save()


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    crn = factory.Sequence(lambda n: f"X{n:06d}")
    person_name = factory.Faker("name", locale="en_GB")
    managing_provider = factory.SubFactory(OrganisationFactory)


class OfficerPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibleOfficerPeriod

    case = factory.SubFactory(CaseFactory)
    officer = factory.SubFactory(UserFactory, role=Role.RESPONSIBLE_OFFICER)
    started_on = date(2025, 1, 6)


class VictimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Victim

    case = factory.SubFactory(CaseFactory)
    full_name = factory.Faker("name", locale="en_GB")
    relationship = Relationship.VICTIM


class SampleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SampleAssignment

    case = factory.SubFactory(CaseFactory)
    assessor = factory.SubFactory(UserFactory, role=Role.INDEPENDENT_ASSESSOR)
    sampled_on = date(2026, 10, 1)
