"""Organisations (probation providers, the central team, the independent QA body), their teams,
and the people who work in them."""

from functools import cached_property

import pghistory
from django.contrib.auth.models import AbstractUser
from django.db import models

from sfo.people.roles import Role


class OrganisationKind(models.TextChoices):
    PROBATION_DIVISION = "probation_division", "Probation region or NPS division"
    CRC = "crc", "Community Rehabilitation Company (legacy)"
    CENTRAL_TEAM = "central_team", "HMPPS central SFO review team"
    INDEPENDENT_BODY = "independent_body", "Independent QA body"


PROVIDER_KINDS = (OrganisationKind.PROBATION_DIVISION, OrganisationKind.CRC)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Organisation(models.Model):
    """A body whose staff use the service. Probation providers own cases; the central team and the
    independent body quality-assure them."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True, help_text="Short name used in demo logins")
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    area = models.CharField(max_length=80, blank=True, help_text="Region of England or Wales")
    active = models.BooleanField(default=True, help_text="Legacy CRCs are kept but inactive")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind in PROVIDER_KINDS


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.code})"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["password", "last_login"],
)
class User(AbstractUser):
    """A member of staff. The line manager is recorded because a countersigner must not be in the
    line management of the case they countersign."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, related_name="reports", null=True, blank=True
    )
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The user's roles, read once per request from their groups."""
        names = set(self.groups.values_list("name", flat=True))
        return frozenset(role for role in Role if role.value in names)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    def line_management_chain(self) -> list["User"]:
        """Every manager above this person, nearest first; stops at a loop."""
        chain: list[User] = []
        seen = {self.pk}
        manager = self.line_manager
        while manager is not None and manager.pk not in seen:
            chain.append(manager)
            seen.add(manager.pk)
            manager = manager.line_manager
        return chain

    def is_in_line_management_of(self, other: "User") -> bool:
        return any(manager.pk == self.pk for manager in other.line_management_chain())


class HeldSubmission(models.Model):
    """A form that arrived after its sender's session had ended. It is kept for that user alone
    and offered back after they sign in again, so that no typed text is lost to the timeout."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="held_submissions")
    path = models.CharField(max_length=500)
    data = models.JSONField(help_text="The posted fields, without the CSRF token")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"Held form for {self.path}"
