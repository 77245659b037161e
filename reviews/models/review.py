"""The full SFO review (DOMAIN.md, workflow step 3) as its reviewer writes it: narrative sections on
a task list, a chronology, structured key findings, an action plan, and the judgement whether all
reasonable steps were taken. Every submission freezes a `ReviewVersion`; local QA checks
(`LocalQACheck`) answer the QA standards of `StandardSet` and comment against the sections.

Rows that two people might edit at once carry a `version` that each save increments: a save that
names an older version is refused and shown as a conflict (see `reviews.authoring`)."""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from reviews.models.case import Case


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class SectionKey(models.TextChoices):
    """The sections of a full review, in the order the review reads."""

    METHODOLOGY = "methodology", "Methodology"
    SUMMARY_OF_EVENTS = "summary_of_events", "Summary of events"
    CHRONOLOGY = "chronology", "Chronology"
    ASSESSMENT = "assessment", "Analysis of assessment"
    PLANNING = "planning", "Analysis of planning"
    IMPLEMENTATION = "implementation", "Analysis of implementation and delivery"
    REVIEWING = "reviewing", "Analysis of the review of the work"
    KEY_RISK_FACTORS = "key_risk_factors", "Key risk of harm factors"
    RISK_MANAGEMENT_PLAN = "risk_management_plan", "The risk management plan"
    MULTI_AGENCY = "multi_agency", "Multi-agency working"
    SYSTEMIC_FACTORS = "systemic_factors", "Systemic, organisational and procedural factors"
    KEY_FINDINGS = "key_findings", "Key findings"
    GOOD_PRACTICE = "good_practice", "Good practice"
    CONCLUSION = "conclusion", "Conclusion and judgement"
    AREAS_FOR_IMPROVEMENT = "areas_for_improvement", "Areas for improvement"
    ACTION_PLAN = "action_plan", "Action plan"
    NEXT_STEPS = "next_steps", "Next steps"


# Sections whose content is a structured list with a page of its own, rather than narrative text.
STRUCTURED_SECTIONS = frozenset(
    {SectionKey.CHRONOLOGY, SectionKey.KEY_FINDINGS, SectionKey.ACTION_PLAN}
)


class Judgement(models.TextChoices):
    YES = "yes", "Yes: all reasonable steps were taken"
    NO = "no", "No: not all reasonable steps were taken"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Review(models.Model):
    """The full review of one case. Created when its reviewer first opens it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="review")
    review_period_start = models.DateField(
        "start of the review period",
        null=True,
        blank=True,
        help_text="Chronology entries before this date are marked as history",
    )
    all_reasonable_steps = models.CharField(
        "were all reasonable steps taken to manage the risk of serious harm?",
        max_length=3,
        choices=Judgement.choices,
        blank=True,
    )
    judgement_reasons = models.TextField("the reasons for the judgement", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Review of {self.case}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ReviewSection(models.Model):
    """One section of the task list: its narrative text (blank for the structured sections) and
    its status, which the reviewer sets."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=30, choices=SectionKey.choices)
    text = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=SectionStatus.choices, default=SectionStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="one_section_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} of {self.review}"


class ChronologySource(models.TextChoices):
    CASE_RECORD = "case_record", "Case record (nDelius)"
    OASYS = "oasys", "OASys assessment"
    POLICE = "police", "Police"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    MENTAL_HEALTH = "mental_health", "Mental health services"
    HEALTH = "health", "Health (GP, hospital)"
    PRISON = "prison", "Prison"
    MAPPA = "mappa", "MAPPA minutes"
    COURT = "court", "Court"
    HOUSING = "housing", "Housing or approved premises"
    INTERVIEW = "interview", "Interview with staff"
    OTHER = "other", "Other"


class FindingKind(models.TextChoices):
    PRACTICE_FAILING = "practice_failing", "Practice failing"
    MISSED_OPPORTUNITY = "missed_opportunity", "Missed opportunity"
    SYSTEMIC_FACTOR = "systemic_factor", "Systemic factor"
    GOOD_PRACTICE = "good_practice", "Good practice"


class Dissemination(models.TextChoices):
    NONE = "", "Not for dissemination"
    LOCAL = "local", "For local dissemination"
    NATIONAL = "national", "For national dissemination"


class Theme(models.Model):
    """A theme of the national taxonomy that findings and actions are tagged with, so that the
    learning can be counted across reviews (recommendation 12). Kept as data: the central team
    adds themes, and retires rather than deletes one that tags are using."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Retired themes stay on earlier tags")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Finding(models.Model):
    """A key finding: what went wrong (or well) and why. Chronology entries support it; actions
    answer it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=200)
    analysis = models.TextField()
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    dissemination = models.CharField(
        "good practice to disseminate",
        max_length=10,
        choices=Dissemination.choices,
        blank=True,
    )
    position = models.PositiveIntegerField(default=0)
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ChronologyEntry(models.Model):
    """A significant event of the supervision, where it is recorded, and the issue it raises."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology")
    occurred_on = models.DateField("date")
    source = models.CharField(max_length=20, choices=ChronologySource.choices)
    event = models.TextField()
    significant = models.BooleanField(default=False)
    emerging_issue = models.TextField(blank=True)
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporting_entries",
        help_text="The key finding this entry supports",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["review", "occurred_on", "id"])]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.event[:50]}"


class ActionLevel(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    TEAM = "team", "Team or unit"
    ORGANISATION = "organisation", "Organisation"
    NATIONAL = "national", "National"
    EXTERNAL = "external", "External agency"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    VERIFIED = "verified", "Verified"


# The order an action moves in; verification needs evidence of dissemination and embedding.
ACTION_STEPS = {
    ActionStatus.OPEN: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.COMPLETED,
    ActionStatus.COMPLETED: ActionStatus.VERIFIED,
}


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ReviewAction(models.Model):
    """An action of the review's action plan: who does what, at which level, by when, answering
    which finding."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("action")
    level = models.CharField(max_length=20, choices=ActionLevel.choices)
    agency = models.CharField(
        "external agency", max_length=200, blank=True, help_text="When the level is external"
    )
    owner = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The key finding this action answers",
    )
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(
        "evidence that the change was disseminated and embedded", blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(level="external") | ~models.Q(agency=""),
                name="external_action_names_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verified") | ~models.Q(evidence=""),
                name="verified_action_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class VersionPurpose(models.TextChoices):
    LOCAL_QA = "local_qa", "Sent for local QA"
    CENTRAL = "central", "Submitted to the central team"


@pghistory.track(pghistory.InsertEvent())
class ReviewVersion(models.Model):
    """The review, chronology and action plan exactly as they were when sent: immutable, so that a
    rating or a comment always refers to the text it was given on."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=10, choices=VersionPurpose.choices)
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_version_number")
        ]
        triggers = [
            pgtrigger.Protect(name="review_version_immutable", operation=pgtrigger.Update),
            pgtrigger.Protect(name="review_version_undeletable", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.review}"


class LocalQAOutcome(models.TextChoices):
    RETURNED = "returned", "Returned to the reviewer with comments"
    PASSED = "passed", "Passed for countersignature"


class LocalQACheck(models.Model):
    """The SFO review manager's check of one version against the QA standards in force."""

    version = models.ForeignKey(ReviewVersion, on_delete=models.PROTECT, related_name="checks")
    standards = models.ForeignKey("reviews.StandardSet", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=LocalQAOutcome.choices)
    comment = models.TextField("overall comment", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Local QA of {self.version}: {self.outcome}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class LocalQAAnswer(models.Model):
    check_of = models.ForeignKey(LocalQACheck, on_delete=models.CASCADE, related_name="answers")
    standard = models.ForeignKey("reviews.Standard", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=6, choices=Answer.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["standard__position"]
        constraints = [
            models.UniqueConstraint(fields=["check_of", "standard"], name="one_answer_a_standard")
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.answer}"


class SectionComment(models.Model):
    """A comment of local QA against one section, which the reviewer sees beside it."""

    check_of = models.ForeignKey(
        LocalQACheck, on_delete=models.CASCADE, related_name="section_comments"
    )
    section = models.CharField(max_length=30, choices=SectionKey.choices)
    comment = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"On {self.get_section_display()}: {self.comment[:50]}"


class GlossaryTerm(models.Model):
    """An acronym and its expansion, seeded from the inspection's glossary. The coach flags
    acronyms a review uses without expanding them; the victims' pack builds its glossary here."""

    acronym = models.CharField(max_length=20, unique=True)
    expansion = models.CharField(max_length=300)
    explanation = models.TextField(
        blank=True,
        help_text="A plain-language sentence for families, where the expansion alone "
        "does not say what it is",
    )

    class Meta:
        ordering = ["acronym"]

    def __str__(self) -> str:
        return f"{self.acronym}: {self.expansion}"


class CoachPolicy(models.Model):
    """The thresholds of the review-quality coach, as data: the latest row in force applies."""

    effective_from = models.DateField(unique=True)
    multi_agency_min_words = models.PositiveIntegerField(
        "fewest words for the multi-agency section when other agencies were involved", default=150
    )
    history_max_share = models.DecimalField(
        "largest share of chronology entries before the review period",
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    history_min_entries = models.PositiveIntegerField(
        "fewest chronology entries before the weighting is judged", default=10
    )
    target_words = models.PositiveIntegerField("target length of the review in words", default=9000)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "coach policies"

    def __str__(self) -> str:
        return f"Coach policy from {self.effective_from}"


class ChronologyImport(models.Model):
    """A CSV file imported into the chronology: how many of its rows were added, and every row
    that was not, with its line number, its cells as the file gave them and every reason, so that
    nothing in the file is lost: the rejected rows can be downloaded, fixed and imported again."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_imports")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    columns = models.JSONField(
        "the header of the file", default=list, help_text="The column names as the file gave them"
    )
    accepted_count = models.PositiveIntegerField("entries added", default=0)
    rejected_rows = models.JSONField(
        default=list, help_text="Each rejected row: its line, its cells and the reasons"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.review}"


__all__ = [
    "SectionStatus",
    "SectionKey",
    "STRUCTURED_SECTIONS",
    "Judgement",
    "Review",
    "ReviewSection",
    "ChronologySource",
    "FindingKind",
    "Dissemination",
    "Theme",
    "Finding",
    "ChronologyEntry",
    "ActionLevel",
    "ActionStatus",
    "ACTION_STEPS",
    "ReviewAction",
    "VersionPurpose",
    "ReviewVersion",
    "LocalQAOutcome",
    "LocalQACheck",
    "Answer",
    "LocalQAAnswer",
    "SectionComment",
    "GlossaryTerm",
    "CoachPolicy",
    "ChronologyImport",
]
