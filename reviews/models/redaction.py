"""What must not be shared of a review, and the redacted copy the staff involved read (issue 8,
recommendation 11), with their responses to its findings (two-way learning). ADR 0012.

A `Redaction` marks one place of the review (a narrative section, the judgement's reasons, or one
field of a finding, chronology entry or action, by the row's id, which stays the same in every
version) and, within it, either the whole text or the quoted words. Marks are never edited and
never deleted: removing one records who and when, so that a copy shared earlier can be rebuilt
from the marks it was shared with. The copy (`RedactedCopy`) is built from redacted data, never
by covering text (`reviews.redaction.redact`)."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from reviews.models.review import Review, ReviewVersion


class RedactionCategory(models.TextChoices):
    VICTIM_FAMILY = "victim_family", "victim or family details"
    THIRD_PARTY = "third_party", "third party details"
    STAFF = "staff", "a named member of staff"
    OTHER = "other", "other sensitive information"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Redaction(models.Model):
    """One thing withheld from the copies of a review: a place, the quoted words within it (blank
    for the whole text), why, and for a named member of staff, who (so that their own copy shows
    them their own name)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="redactions")
    place = models.CharField(
        max_length=80,
        help_text='Where: "section:<key>", "judgement_reasons", or "<finding|chronology|action>:'
        '<id>:<field>"',
    )
    quote = models.TextField(
        "text to withhold", blank=True, help_text="Blank: the whole text of the place"
    )
    offset = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the quote stood when marked: a hint only"
    )
    category = models.CharField(max_length=20, choices=RedactionCategory.choices)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member of staff named, for that category",
    )
    reason = models.TextField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["marked_at", "pk"]
        indexes = [models.Index(fields=["review", "place"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(category="staff") | models.Q(staff_member__isnull=False),
                name="staff_redaction_names_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True)
                | models.Q(removed_at__isnull=False, removed_by__isnull=False),
                name="redaction_removal_says_who",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="redaction_undeletable", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} at {self.place}"

    @property
    def whole(self) -> bool:
        return not self.quote


@pghistory.track(pghistory.InsertEvent())
class RedactedCopy(models.Model):
    """A frozen version of the review shared, redacted, with the staff involved. `snapshot` is the
    version with every mark applied (nothing withheld is in it); `mark_ids` are the marks it was
    shared with, from which a named member of staff's own copy is rebuilt with their name."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="redacted_copies")
    version = models.ForeignKey(ReviewVersion, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(help_text="The version redacted for a reader not named in it")
    mark_ids = models.JSONField(default=list, help_text="The marks applied, as they stood")
    unmatched = models.PositiveIntegerField(
        default=0, help_text="Marks whose words were not found: their whole text was withheld"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_at", "-pk"]
        verbose_name_plural = "redacted copies"
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="one_copy_per_version")
        ]
        triggers = [
            pgtrigger.Protect(name="redacted_copy_immutable", operation=pgtrigger.Update),
            pgtrigger.Protect(name="redacted_copy_undeletable", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Redacted copy of version {self.version.number} of {self.review}"


class Stance(models.TextChoices):
    AGREE = "agree", "I agree with this finding"
    DISAGREE = "disagree", "I disagree with this finding"
    CONTEXT = "context", "I want to add context"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class FindingResponse(models.Model):
    """What a member of staff involved says to one finding of a redacted copy. One response is
    current per person, finding and copy; a later one replaces it, and the earlier stays, marked
    replaced, so that the conversation is kept with the version it was about."""

    copy = models.ForeignKey(RedactedCopy, on_delete=models.PROTECT, related_name="responses")
    finding_id = models.PositiveIntegerField(help_text="The finding's id in the copy's snapshot")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    text = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["finding_id", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy", "finding_id", "by"],
                condition=models.Q(replaced_at__isnull=True),
                name="one_current_response",
            ),
            models.CheckConstraint(
                condition=models.Q(stance="agree") | ~models.Q(text=""),
                name="response_gives_reasons",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="finding_response_undeletable", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} (finding {self.finding_id})"


__all__ = [
    "RedactionCategory",
    "Redaction",
    "RedactedCopy",
    "Stance",
    "FindingResponse",
]
