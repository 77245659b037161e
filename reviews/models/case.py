"""The SFO case: a person under probation supervision charged with a qualifying offence.

A case is identified at the first court hearing with minimal facts, completed as a notification to
the central team, registered (or rejected) by it, and reviewed. Its state moves only through the
transitions of `reviews.workflow`, each made by one service in `reviews.services`."""

import pghistory
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from offences.models import InchoateForm, RoSH
from offences.qualification import Outcome as Qualification
from reviews.workflow import TRANSITIONS, CaseState
from sfo.people.models import Organisation, Team

crn_validator = RegexValidator(
    r"^[A-Z][0-9]{6}$", "Enter a CRN as one capital letter and six digits, like X123456"
)
pnc_validator = RegexValidator(
    r"^[0-9]{2,4}/[0-9]{1,7}[A-Z]$",
    "Enter a PNC number like 2019/0012345A: the year, a slash, up to 7 digits and a letter",
)
reference_validator = RegexValidator(r"^SFO-[0-9]{4}-[0-9]{4}$", "A reference is SFO-YYYY-NNNN")


class SupervisionType(models.TextChoices):
    LICENCE = "licence", "Post-release licence"
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE = "suspended_sentence", "Suspended sentence order"
    IPP = "ipp", "Imprisonment for public protection (IPP) licence"
    LIFE_LICENCE = "life_licence", "Life licence"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other or not stated"


class MappaCategory(models.TextChoices):
    NONE = "none", "Not a MAPPA case"
    CATEGORY_1 = "1", "Category 1: registered sexual offender"
    CATEGORY_2 = "2", "Category 2: violent offender"
    CATEGORY_3 = "3", "Category 3: other dangerous offender"
    CATEGORY_4 = "4", "Category 4: terrorism"


class MappaLevel(models.TextChoices):
    NONE = "", "Not managed under MAPPA"
    LEVEL_1 = "1", "Level 1"
    LEVEL_2 = "2", "Level 2"
    LEVEL_3 = "3", "Level 3"


class CourtOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    CONVICTED_QUALIFYING = "convicted_qualifying", "Convicted of a qualifying offence"
    CONVICTED_OTHER = "convicted_other", "Convicted of another offence"
    ACQUITTED = "acquitted", "Acquitted"
    DISCONTINUED = "discontinued", "Charges discontinued"


def _t(name: str):
    spec = TRANSITIONS[name]
    return transition(field="state", source=list(spec.sources), target=spec.target)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Case(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=CaseState.IDENTIFIED, choices=CaseState.choices, protected=True)

    # Identified at the first court hearing.
    crn = models.CharField("CRN", max_length=7, validators=[crn_validator], db_index=True)
    person_name = models.CharField("name of the person on probation", max_length=200)
    first_hearing_date = models.DateField("date of the first court hearing", null=True)
    managing_provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="managed_cases"
    )
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    # Completed in the notification.
    pnc_number = models.CharField(
        "PNC number", max_length=14, blank=True, validators=[pnc_validator]
    )
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    supervision_type = models.CharField(max_length=30, choices=SupervisionType.choices, blank=True)
    supervision_start = models.DateField(null=True, blank=True)
    supervision_end = models.DateField(null=True, blank=True)
    managing_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    rosh_at_offence = models.CharField(
        "RoSH at the time of the offence", max_length=12, choices=RoSH.choices, blank=True
    )
    highest_rosh = models.CharField(
        "highest RoSH during supervision", max_length=12, choices=RoSH.choices, blank=True
    )
    mappa_category = models.CharField(max_length=4, choices=MappaCategory.choices, blank=True)
    mappa_level = models.CharField(max_length=2, choices=MappaLevel.choices, blank=True)
    iom = models.BooleanField("managed under Integrated Offender Management", default=False)
    offence_date = models.DateField(null=True, blank=True)
    charge_date = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=120, blank=True)
    police_force = models.CharField(max_length=120, blank=True)
    qualification = models.CharField(max_length=20, choices=Qualification.choices, blank=True)
    qualification_reason = models.TextField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    # Decided by the central team.
    reference = models.CharField(
        max_length=13, unique=True, null=True, blank=True, validators=[reference_validator]
    )
    qualification_override = models.CharField(
        max_length=20, choices=Qualification.choices, blank=True
    )
    override_justification = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    high_profile = models.BooleanField(default=False)
    reviewing_provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directed_reviews",
        null=True,
        blank=True,
        help_text="Set when the central team directs another provider to carry out the review",
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_cases",
    )

    court_outcome = models.CharField(
        max_length=30, choices=CourtOutcome.choices, default=CourtOutcome.PENDING
    )
    court_outcome_date = models.DateField(null=True, blank=True)

    # Set by later stages that the central QA queue must know of without importing them: a
    # victim's request for disclosure expedites QA and makes it full; a reason for full QA given
    # through `qa.services.require_full_qa`; and whether the latest QA feedback requires
    # re-submission, which stops the provider from accepting it instead.
    disclosure_requested_on = models.DateField(
        "a victim or family member asked for disclosure on", null=True, blank=True
    )
    full_qa_reason = models.TextField("why full QA is required", blank=True)
    resubmission_required = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "managing_provider"]),
            models.Index(fields=["reviewing_provider"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(qualification_override__gt="")
                | models.Q(override_justification__gt=""),
                name="override_needs_justification",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"Case {self.crn}"

    @property
    def review_provider(self) -> Organisation:
        """The provider that carries out the review: the one directed, or the managing one."""
        return self.reviewing_provider or self.managing_provider

    @property
    def review_provider_id(self) -> int:
        return self.reviewing_provider_id or self.managing_provider_id

    @property
    def effective_qualification(self) -> str:
        return self.qualification_override or self.qualification

    @property
    def effective_qualification_label(self) -> str:
        value = self.effective_qualification
        return Qualification(value).label if value else ""

    # The transitions of reviews.workflow. Only the services in reviews.services call them.
    @_t("notify")
    def notify(self): ...

    @_t("register")
    def register(self): ...

    @_t("reject")
    def reject(self): ...

    @_t("allocate")
    def allocate(self): ...

    @_t("send_to_local_qa")
    def send_to_local_qa(self): ...

    @_t("return_from_local_qa")
    def return_from_local_qa(self): ...

    @_t("pass_local_qa")
    def pass_local_qa(self): ...

    @_t("countersign_and_submit")
    def countersign_and_submit(self): ...

    @_t("take_for_qa")
    def take_for_qa(self): ...

    @_t("return_for_amendments")
    def return_for_amendments(self): ...

    @_t("choose_to_amend")
    def choose_to_amend(self): ...

    @_t("resubmit")
    def resubmit(self): ...

    @_t("complete_qa")
    def complete_qa(self): ...

    @_t("accept_feedback")
    def accept_feedback(self): ...

    @_t("require_full_qa")
    def require_full_qa(self): ...

    @_t("close")
    def close(self): ...

    @_t("discontinue")
    def discontinue(self): ...


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ChargedOffence(models.Model):
    """An offence of the catalogue the person was charged with, and the facts its rule needs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charged_offences")
    offence = models.ForeignKey("offences.Offence", on_delete=models.PROTECT, related_name="+")
    form = models.CharField(
        max_length=20,
        choices=InchoateForm.choices,
        blank=True,
        help_text="Blank: the offence itself",
    )
    firearm_used = models.BooleanField("a firearm or imitation firearm was used", default=False)
    penetration = models.BooleanField("penetration was involved", default=False)
    victim_under_13 = models.BooleanField("the victim was under 13", default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.offence)


class CaseTransition(models.Model):
    """Every move of a case from one state to another: who, when, from, to, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, choices=CaseState.choices)
    to_state = models.CharField(max_length=30, choices=CaseState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_state} → {self.to_state}"

    @property
    def label(self) -> str:
        return TRANSITIONS[self.name].label if self.name in TRANSITIONS else self.name


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


class ReferenceCounter(models.Model):
    """The last SFO-YYYY-NNNN number given in a year; its row is locked while a case registers."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class EarlyLookStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Recommendation(models.TextChoices):
    FULL_REVIEW_NOW = "full_review_now", "A full review is warranted before conviction"
    AWAIT_OUTCOME = "await_outcome", "Wait for the court outcome before the full review"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class EarlyLook(models.Model):
    """The condensed report written from identification on: significant concerns and practice
    issues that need immediate management action. It has its own status, not a state of the case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="early_look")
    status = models.CharField(
        max_length=10, choices=EarlyLookStatus.choices, default=EarlyLookStatus.DRAFT
    )
    case_summary = models.TextField("summary of the case", blank=True)
    significant_concerns = models.TextField(blank=True)
    practice_issues = models.TextField(
        "practice issues needing immediate management action", blank=True
    )
    may_be_high_profile = models.BooleanField("the case may be high-profile", default=False)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommendation_reason = models.TextField("why", blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Early look of {self.case}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ImmediateAction(models.Model):
    """One action of the early look's immediate action plan."""

    early_look = models.ForeignKey(EarlyLook, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.action[:60]


__all__ = [
    "SupervisionType",
    "Gender",
    "MappaCategory",
    "MappaLevel",
    "CourtOutcome",
    "Case",
    "ChargedOffence",
    "CaseTransition",
    "ResponsibleOfficerPeriod",
    "ReferenceCounter",
    "EarlyLookStatus",
    "Recommendation",
    "EarlyLook",
    "ImmediateAction",
    "crn_validator",
    "pnc_validator",
    "reference_validator",
    "RoSH",
    "InchoateForm",
    "Qualification",
]
