"""The SFO case: a person under probation supervision charged with a qualifying offence.

This is the case's core: who it concerns, which provider manages it, which provider was directed
to review it, and which officers managed it. The workflow, clocks and documents build on it."""

import pghistory
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from sfo.people.models import Organisation

crn_validator = RegexValidator(
    r"^[A-Z][0-9]{6}$", "Enter a CRN as one capital letter and six digits, like X123456"
)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Case(models.Model):
    reference = models.CharField(
        max_length=13, unique=True, null=True, blank=True, help_text="SFO-YYYY-NNNN once registered"
    )
    crn = models.CharField("CRN", max_length=7, validators=[crn_validator], db_index=True)
    person_name = models.CharField("name of the person on probation", max_length=200)
    managing_provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="managed_cases"
    )
    reviewing_provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directed_reviews",
        null=True,
        blank=True,
        help_text="Set when the central team directs another provider to carry out the review",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference or f"Case {self.pk} ({self.crn})"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ResponsibleOfficerPeriod(models.Model):
    """An officer who managed the case for a period. "Responsible officer" of a case means every
    officer who managed it during the review period, not only the current one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="officer_periods")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_periods"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="officer_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} on {self.case}"
