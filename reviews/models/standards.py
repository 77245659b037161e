"""The QA standards: the questions a review is checked against, locally by the provider and
centrally by the HMPPS team, kept as versioned data. They belong to the review (its local QA
checks answer them), and the central QA app reuses them."""

from django.db import models


class StandardSet(models.Model):
    """One version of the QA standards: the questions a review is checked against, locally by the
    provider and centrally by the HMPPS team. A set in use is never edited: a new version is drawn
    from it, so that every check keeps the questions it answered."""

    version = models.PositiveIntegerField(unique=True)
    published_on = models.DateField(null=True, blank=True, help_text="Blank while in draft")
    note = models.TextField("what changed", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = "QA standards version"

    def __str__(self) -> str:
        return f"QA standards, version {self.version}"


class StandardScope(models.TextChoices):
    REVIEW = "review", "The review"
    ACTION_PLAN = "action_plan", "The action plan"


class Standard(models.Model):
    """One question of the QA standards, answered yes / partly / no with a comment."""

    standards = models.ForeignKey(StandardSet, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    question = models.CharField(max_length=300)
    scope = models.CharField(max_length=12, choices=StandardScope.choices)
    targeted = models.BooleanField(
        "asked in a targeted QA",
        default=False,
        help_text="Targeted QA covers the chronology, the key findings and the action plan",
    )

    class Meta:
        ordering = ["standards", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standards", "position"], name="one_question_a_place")
        ]

    def __str__(self) -> str:
        return self.question


__all__ = ["StandardSet", "StandardScope", "Standard"]
