"""Central quality assurance and the independent QA of a sample (DOMAIN.md, workflow step 5, and
"What the inspection found missing").

The central HMPPS SFO team rates every version a provider submits: one `QAAssessment` per round,
on the QA standards in force (`reviews.StandardSet`, versioned, so that an assessment keeps the
questions it answered) and on a rating scale that is data. An independent body rates a sample of
QA-complete reviews blind, on its own scale; the concordance report compares the two through a
mapping between the scales that an administrator defines.

An independent assessor sees only the cases sampled for them (`SampleAssignment`, read by
`sfo.access.case_scope`), and never the central rating of a case before their own is submitted."""

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from reviews.models import Answer, Case, ReviewVersion, SectionKey, Standard, StandardSet


class ScaleUse(models.TextChoices):
    CENTRAL = "central", "Central QA (HMPPS SFO review team)"
    INDEPENDENT = "independent", "Independent QA"


class RatingScale(models.Model):
    """A rating scale: its levels, best first. The latest scale of a use is the one in force; a
    scale that any rating used is never edited (a new one is added), so that old ratings keep
    their meaning."""

    name = models.CharField(max_length=120)
    use = models.CharField(max_length=12, choices=ScaleUse.choices)
    in_force_from = models.DateField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["use", "-in_force_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["use", "in_force_from"], name="one_scale_a_use_a_day")
        ]

    def __str__(self) -> str:
        return self.name


class RatingLevel(models.Model):
    """One level of a scale. Position 1 is the best."""

    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="levels")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "position"], name="one_level_a_place"),
            models.UniqueConstraint(fields=["scale", "label"], name="one_label_a_scale"),
        ]

    def __str__(self) -> str:
        return self.label


class QAMode(models.TextChoices):
    TARGETED = "targeted", "Targeted (chronology, key findings and action plan)"
    FULL = "full", "Full (the whole review)"


class AssessmentStatus(models.TextChoices):
    WAITING = "waiting", "Not started"
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Feedback given"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class QAAssessment(models.Model):
    """The central team's assessment of one submitted version: a round of central QA. Allocated to
    a QA reviewer, saved as a draft, then completed with its feedback, which either returns the
    review for amendments or completes QA."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="qa_assessments")
    round = models.PositiveSmallIntegerField(help_text="1 for the first submission, and so on")
    version = models.ForeignKey(
        ReviewVersion, on_delete=models.PROTECT, related_name="qa_assessments"
    )
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.WAITING
    )
    qa_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qa_assessments",
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(max_length=10, choices=QAMode.choices, default=QAMode.TARGETED)
    full_qa_reasons = models.JSONField(
        default=list, blank=True, help_text="Why full QA is required, when it is"
    )
    standards = models.ForeignKey(StandardSet, on_delete=models.PROTECT, related_name="+")
    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="+")
    review_rating = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_plan_rating = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField("overall feedback", blank=True)
    marked_incomplete = models.BooleanField(
        "the QA reviewer judges the review incomplete", default=False
    )
    resubmission_required = models.BooleanField(default=False)
    edit_version = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_accepted_at = models.DateTimeField(null=True, blank=True)
    feedback_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="one_assessment_a_round"),
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | (
                    models.Q(review_rating__isnull=False)
                    & models.Q(action_plan_rating__isnull=False)
                ),
                name="completed_assessment_is_rated",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "qa_reviewer"]),
            models.Index(fields=["completed_at"]),
        ]

    def __str__(self) -> str:
        return f"Central QA of {self.case}, round {self.round}"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class StandardAnswer(models.Model):
    """The answer to one standard of the QA standards: yes, partly or no, with a comment. Central
    and independent assessments answer the same standards the same way."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=6, choices=Answer.choices)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["standard__position"]

    def __str__(self) -> str:
        return f"{self.standard}: {self.answer}"


class QAAnswer(StandardAnswer):
    assessment = models.ForeignKey(QAAssessment, on_delete=models.CASCADE, related_name="answers")

    class Meta(StandardAnswer.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="one_qa_answer_a_standard"
            )
        ]


class QASectionFeedback(models.Model):
    """Feedback against one section of the review, shown beside it to the provider."""

    assessment = models.ForeignKey(
        QAAssessment, on_delete=models.CASCADE, related_name="section_feedback"
    )
    section = models.CharField(max_length=30, choices=SectionKey.choices)
    comment = models.TextField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="one_feedback_a_section")
        ]

    def __str__(self) -> str:
        return f"On {self.get_section_display()}: {self.comment[:50]}"


# --- Independent QA --------------------------------------------------------------------------


class IndependentSample(models.Model):
    """A sample of QA-complete reviews for a period, drawn by an administrator: stratified by the
    reviewing provider, a proportion of each, reproducible from its stored seed."""

    period_start = models.DateField(help_text="QA completed on or after this day")
    period_end = models.DateField(help_text="QA completed on or before this day")
    proportion = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0.2,
        validators=[MinValueValidator(0.001), MaxValueValidator(1)],
    )
    seed = models.BigIntegerField()
    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="+")
    standards = models.ForeignKey(StandardSet, on_delete=models.PROTECT, related_name="+")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    population = models.PositiveIntegerField(default=0, help_text="QA-complete reviews eligible")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="sample_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Independent sample {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SampleAssignment(models.Model):
    """A case sampled for an independent assessor: the only cases they may see."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sample_assignments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sample_assignments"
    )
    sampled_on = models.DateField()
    sample = models.ForeignKey(
        IndependentSample,
        on_delete=models.CASCADE,
        related_name="assignments",
        null=True,
        blank=True,
    )
    version = models.ForeignKey(
        ReviewVersion,
        on_delete=models.PROTECT,
        related_name="sample_assignments",
        null=True,
        blank=True,
        help_text="The version the central team completed QA on",
    )
    central_assessment = models.ForeignKey(
        QAAssessment,
        on_delete=models.PROTECT,
        related_name="sample_assignments",
        null=True,
        blank=True,
        help_text="The central assessment compared with the independent one",
    )

    class Meta:
        ordering = ["-sampled_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "assessor"], name="one_sample_per_assessor")
        ]

    def __str__(self) -> str:
        return f"{self.case} sampled for {self.assessor}"


class IndependentStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class IndependentAssessment(models.Model):
    """An independent assessor's own rating of a sampled review, made blind: the central rating
    is shown to them only once this is submitted."""

    assignment = models.OneToOneField(
        SampleAssignment, on_delete=models.CASCADE, related_name="assessment"
    )
    status = models.CharField(
        max_length=10, choices=IndependentStatus.choices, default=IndependentStatus.DRAFT
    )
    review_rating = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_plan_rating = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField("overall comment", blank=True)
    edit_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="submitted")
                | (
                    models.Q(review_rating__isnull=False)
                    & models.Q(action_plan_rating__isnull=False)
                ),
                name="submitted_independent_is_rated",
            )
        ]

    def __str__(self) -> str:
        return f"Independent assessment of {self.assignment.case}"

    @property
    def is_submitted(self) -> bool:
        return self.status == IndependentStatus.SUBMITTED


class IndependentAnswer(StandardAnswer):
    assessment = models.ForeignKey(
        IndependentAssessment, on_delete=models.CASCADE, related_name="answers"
    )

    class Meta(StandardAnswer.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="one_independent_answer_a_standard"
            )
        ]


class ScaleMapping(models.Model):
    """Where a level of the independent scale falls on the central one, defined by an
    administrator, so that agreement and Cohen's kappa can be computed across the two scales."""

    independent_level = models.OneToOneField(
        RatingLevel, on_delete=models.CASCADE, related_name="mapped_to"
    )
    central_level = models.ForeignKey(RatingLevel, on_delete=models.PROTECT, related_name="+")
    defined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    defined_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["independent_level__scale", "independent_level__position"]

    def __str__(self) -> str:
        return f"{self.independent_level} → {self.central_level}"
