"""The other agencies of a case (recommendations 5 and 6): the register of agencies, which of them
were involved in a case and how, what was asked of them and what came back, the findings and
actions of the review that concern each, the extracts sent to them, and the parallel reviews
(MAPPA serious case review, domestic homicide review, ...) running beside the SFO review.

Every row is tracked by django-pghistory (inserts, updates and deletes, with who and when); the
log of extracts sent is append-only, enforced by the database."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police force"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    MENTAL_HEALTH = "mental_health", "Mental health trust"
    HEALTH = "health", "Health (GP, hospital)"
    HOUSING = "housing", "Housing"
    YOUTH_OFFENDING = "youth_offending", "Youth offending team"
    PRISON = "prison", "Prison"
    MAPPA = "mappa", "MAPPA"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    OTHER = "other", "Other"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Agency(models.Model):
    """An agency of the register, kept as data by administrators. Reviewers may add one the
    register lacks from a case's page: it is marked as added by them (`added_by`), for an
    administrator to check and tidy. Retired (inactive), never deleted: involvements keep it.
    A name is unique ignoring case (a database index on its lower case), so that two people
    naming the same agency at once cannot make two of it."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    area = models.CharField(max_length=120, blank=True, help_text="Where it works")
    active = models.BooleanField(default=True, help_text="Retired agencies stay on earlier cases")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the register's own entries; the reviewer who added it from a case",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="agency_name_unique_ignoring_case",
                violation_error_message="An agency of that name is already in the register.",
            )
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AgencyInvolvement(models.Model):
    """An agency involved in a case, and what it did in it (for example, "Domestic abuse call-outs
    in 2023; shared a DASH risk assessment with the offender manager")."""

    case = models.ForeignKey(
        "reviews.Case", on_delete=models.PROTECT, related_name="agency_involvements"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    role = models.TextField("what it did in the case")
    findings = models.ManyToManyField(
        "reviews.Finding", through="FindingConcern", related_name="agency_involvements"
    )
    actions = models.ManyToManyField(
        "reviews.ReviewAction", through="ActionConcern", related_name="agency_involvements"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agency__kind", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="one_involvement_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} in case {self.case_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class FindingConcern(models.Model):
    """A key finding of the review that concerns an agency involved in the case."""

    involvement = models.ForeignKey(AgencyInvolvement, on_delete=models.CASCADE)
    finding = models.ForeignKey("reviews.Finding", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["involvement", "finding"], name="one_finding_concern")
        ]

    def __str__(self) -> str:
        return f"Finding {self.finding_id} concerns involvement {self.involvement_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class ActionConcern(models.Model):
    """An action of the plan that concerns an agency involved in the case (an action for it, or
    one that changes how probation works with it)."""

    involvement = models.ForeignKey(AgencyInvolvement, on_delete=models.CASCADE)
    action = models.ForeignKey("reviews.ReviewAction", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["involvement", "action"], name="one_action_concern")
        ]

    def __str__(self) -> str:
        return f"Action {self.action_id} concerns involvement {self.involvement_id}"


class ContributionOutcome(models.TextChoices):
    AWAITED = "awaited", "Awaited"
    RECEIVED = "received", "Received"
    DECLINED = "declined", "Declined"
    NO_REPLY = "no_reply", "No reply"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ContributionRequest(models.Model):
    """What the review asked an agency for (its records, a chronology, an interview), by when,
    and what came back."""

    involvement = models.ForeignKey(
        AgencyInvolvement, on_delete=models.CASCADE, related_name="requests"
    )
    asked = models.TextField("what was asked")
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("reply due")
    outcome = models.CharField(
        max_length=10, choices=ContributionOutcome.choices, default=ContributionOutcome.AWAITED
    )
    received_on = models.DateField(null=True, blank=True)
    summary = models.TextField("what came back", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("requested_on")),
                name="contribution_due_after_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="received") | models.Q(received_on__isnull=False),
                name="contribution_received_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} to {self.involvement.agency}"


class ShareMeans(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    POST = "post", "Post"
    MEETING = "meeting", "Handed over at a meeting"


@pghistory.track(pghistory.InsertEvent())
class ExtractShare(models.Model):
    """That an extract was sent to an agency: to whom, how, by whom, when, and which one (the PDF
    made, and the review version it was made from). Append-only: a mistake is corrected by a
    further row, never by changing this one."""

    involvement = models.ForeignKey(
        AgencyInvolvement, on_delete=models.PROTECT, related_name="shares"
    )
    job = models.ForeignKey(
        "documents.DocumentJob", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_version = models.ForeignKey(
        "reviews.ReviewVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField("name", max_length=200)
    recipient_role = models.CharField("role", max_length=200)
    recipient_agency = models.CharField("agency", max_length=200)
    means = models.CharField(max_length=20, choices=ShareMeans.choices)
    sent_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        triggers = [
            pgtrigger.Protect(name="extract_share_append_only", operation=pgtrigger.Update),
            pgtrigger.Protect(name="extract_share_undeletable", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Extract sent to {self.recipient_agency} on {self.sent_on}"


class ParallelReviewKind(models.TextChoices):
    MAPPA_SCR = "mappa_scr", "MAPPA serious case review"
    DHR = "dhr", "Domestic homicide review"
    CSPR = "cspr", "Child safeguarding practice review"
    SAR = "sar", "Safeguarding adult review"
    OTHER = "other", "Other"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ParallelReview(models.Model):
    """Another review of the same events, led by another body, with its own dates, and how the
    two share their work so that the same work is not done twice."""

    case = models.ForeignKey(
        "reviews.Case", on_delete=models.PROTECT, related_name="parallel_reviews"
    )
    kind = models.CharField(max_length=10, choices=ParallelReviewKind.choices)
    lead_body = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    commissioned_on = models.DateField(null=True, blank=True)
    expected_on = models.DateField("expected to complete", null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    sharing = models.TextField("how work is shared to avoid duplication", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["commissioned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} led by {self.lead_body}"
