"""The structured records of victims and their families: the most sensitive data in the service.

Seen only by victim liaison officers and senior managers of the case's provider and by the central
QA team (`sfo.access.visible_victims`); every look is recorded, and none of it is registered in
the admin. The entitlement to ask for the review, the contacts made about it, the request for
disclosure with its own lifecycle (DOMAIN.md: requested → vulnerability assessed → signed off →
pack released and meeting held → feedback recorded; or declined; or deferred back to assessed),
the vulnerability assessment that must be signed off first, the meeting, the feedback and the
versioned disclosure packs live here. Each state change is one service in `victims.services`."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from reviews.models import Case


class Relationship(models.TextChoices):
    VICTIM = "victim", "Victim"
    FAMILY = "family", "Family member of the victim"


class AgeBand(models.TextChoices):
    UNDER_13 = "under_13", "Under 13"
    CHILD = "13_to_17", "13 to 17"
    ADULT = "adult", "18 or over"
    NOT_KNOWN = "not_known", "Not known"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Home visit"
    REPRESENTATIVE = "representative", "Through a representative or advocate"


class VCSChoice(models.TextChoices):
    NOT_ASKED = "not_asked", "Not yet asked"
    OPTED_IN = "opted_in", "Opted in"
    DECLINED = "declined", "Declined"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Victim(models.Model):
    """A victim, or a member of a victim's family, who may be told of and use the entitlement to
    ask for the review. Several family members of one victim are several records."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_to_victim = models.CharField(
        "relationship to the victim",
        max_length=100,
        blank=True,
        help_text="For a family member: mother, partner, son…",
    )
    victim_died = models.BooleanField("the victim died", default=False)
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, default=AgeBand.NOT_KNOWN)
    address = models.TextField(blank=True)
    phone = models.CharField("telephone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact = models.CharField(
        "preferred method of contact", max_length=20, choices=ContactMethod.choices, blank=True
    )
    support_needs = models.TextField(
        blank=True, help_text="Interpreter, advocate, accessible formats, times to avoid…"
    )
    vcs = models.CharField(
        "victim contact scheme",
        max_length=12,
        choices=VCSChoice.choices,
        default=VCSChoice.NOT_ASKED,
    )
    vcs_decided_on = models.DateField("opted in or declined on", null=True, blank=True)
    vcs_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="victims_in_care",
        verbose_name="VCS officer responsible",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        # Never the name: this is what logs, alerts and the admin would show.
        return f"{self.get_relationship_display()} {self.pk} on {self.case}"

    @property
    def relationship_label(self) -> str:
        if self.relationship == Relationship.FAMILY and self.relationship_to_victim:
            return f"{self.relationship_to_victim.capitalize()} of the victim"
        return self.get_relationship_display()


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Informed"
    CANCELLED = "cancelled", "Cancelled"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class EntitlementTask(models.Model):
    """The victim contact scheme's task to tell a victim or family member of their entitlement to
    ask for the review (recommendation 7). Opened when an automatic SFO has a qualifying
    conviction, with its own clock from the `victim_entitlement` clock policy (policy data,
    default 10 working days): the due date is computed once and stored."""

    victim = models.OneToOneField(Victim, on_delete=models.CASCADE, related_name="entitlement")
    policy = models.ForeignKey(
        "clocks.ClockPolicy", on_delete=models.PROTECT, related_name="entitlement_tasks"
    )
    started_on = models.DateField(help_text="When both the conviction and the person were recorded")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    informed_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # The days the sweep alerted about it, so that an hourly sweep alerts once.
    reminded_on = models.DateField(null=True, blank=True)
    overdue_alerted_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="entitlement_sweep")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("started_on")),
                name="entitlement_due_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status=TaskStatus.DONE, informed_on__isnull=False)
                | (~models.Q(status=TaskStatus.DONE) & models.Q(informed_on__isnull=True)),
                name="entitlement_informed_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"Entitlement task {self.pk} ({self.get_status_display()})"


class ContactOutcome(models.TextChoices):
    INFORMED = "informed", "Spoke to them and explained the entitlement"
    LETTER_SENT = "letter_sent", "Letter explaining the entitlement sent"
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Message left"
    WRONG_DETAILS = "wrong_details", "Contact details wrong"
    NOT_NOW = "not_now", "Reached, but they asked to be contacted later"


# The outcomes that tell the person of their entitlement: they close the task.
INFORMING_OUTCOMES = frozenset({ContactOutcome.INFORMED, ContactOutcome.LETTER_SENT})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ContactAttempt(models.Model):
    """One attempt to reach a victim or family member: when, how, and what came of it."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="contacts")
    made_on = models.DateField("date of the contact")
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"Contact {self.pk} on {self.made_on}"


class RequestState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ASSESSED = "assessed", "Vulnerability assessed"
    SIGNED_OFF = "signed_off", "Signed off"
    DISCLOSED = "disclosed", "Pack released and meeting held"
    FEEDBACK_RECORDED = "feedback_recorded", "Feedback recorded"
    DECLINED = "declined", "Declined"
    DEFERRED = "deferred", "Deferred"


# States from which a pack may be released and a meeting held: the assessment is signed off.
SIGNED_OFF_STATES = frozenset({RequestState.SIGNED_OFF, RequestState.DISCLOSED})
CLOSED_STATES = frozenset({RequestState.FEEDBACK_RECORDED, RequestState.DECLINED})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DisclosureRequest(models.Model):
    """A victim's or family member's request to see the review. Its state moves only through
    `victims.services`, each move written to `RequestStep`."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="requests")
    state = models.CharField(
        max_length=20, choices=RequestState.choices, default=RequestState.REQUESTED
    )
    requested_on = models.DateField("date of the request")
    how_made = models.CharField(
        "how the request was made", max_length=20, choices=ContactMethod.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    review_on = models.DateField("deferred until", null=True, blank=True)
    declined_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["victim"],
                condition=~models.Q(state__in=["feedback_recorded", "declined"]),
                name="one_open_request_per_victim",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="deferred") | models.Q(review_on__isnull=False),
                name="deferred_request_has_review_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure request {self.pk} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    @property
    def signed_off(self) -> bool:
        return self.state in SIGNED_OFF_STATES


class RequestStep(models.Model):
    """Every move of a request from one state to another: who, when, from, to, and why."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=RequestState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        triggers = [pgtrigger.Protect(name="request_step_append_only", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} → {self.to_state}"


class RiskLevel(models.TextChoices):
    NONE_KNOWN = "none_known", "None known"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Proceed with disclosure"
    PROCEED_WITH_ADJUSTMENTS = "adjust", "Proceed, with adjustments"
    DEFER = "defer", "Defer, and review on a date"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class VulnerabilityAssessment(models.Model):
    """The assessment of risks to and vulnerabilities of the person before disclosure
    (recommendation 15), made by the VLO and signed off by a senior manager. A deferred request is
    assessed again: each assessment is a new row. Once signed off it is not changed."""

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="assessments"
    )
    self_harm = models.CharField(
        "risk of self-harm", max_length=12, choices=RiskLevel.choices, blank=True
    )
    serious_harm = models.CharField(
        "risk of serious harm to or from the person",
        max_length=12,
        choices=RiskLevel.choices,
        blank=True,
    )
    in_relationship = models.CharField(
        "still in a relationship with the perpetrator",
        max_length=10,
        choices=YesNoNotKnown.choices,
        blank=True,
    )
    risk_to_staff = models.CharField(max_length=12, choices=RiskLevel.choices, blank=True)
    risk_details = models.TextField("what the risks are, and their sources", blank=True)
    safeguarding = models.TextField("safeguarding concerns", blank=True)
    support = models.TextField("support and adjustments needed", blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reasons = models.TextField("reasons for the decision", blank=True)
    review_on = models.DateField("review the deferral on", null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_off_at__isnull=True)
                | (models.Q(assessed_at__isnull=False) & ~models.Q(decision="")),
                name="sign_off_needs_completed_assessment",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="defer") | models.Q(review_on__isnull=False),
                name="deferral_has_review_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Vulnerability assessment {self.pk}"


# The database refuses a meeting or a released pack for a request that is not signed off (nor
# past it), or whose latest assessment is not signed off with a decision to proceed; and a release
# of another request's pack. The rule holds for every path, the admin and raw SQL too, on insert
# and on moving a row to another request.
SIGNED_OFF_GATE = """
    IF NOT EXISTS (
        SELECT 1 FROM victims_disclosurerequest r
        WHERE r.id = NEW.request_id
          AND r.state IN ('signed_off', 'disclosed', 'feedback_recorded')
    ) OR NOT EXISTS (
        SELECT 1 FROM victims_vulnerabilityassessment a
        WHERE a.request_id = NEW.request_id
          AND a.signed_off_at IS NOT NULL
          AND a.decision IN ('proceed', 'adjust')
          AND a.id = (SELECT max(b.id) FROM victims_vulnerabilityassessment b
                      WHERE b.request_id = NEW.request_id)
    ) THEN
        RAISE EXCEPTION 'disclosure gate: the vulnerability assessment of request % is not '
            'signed off to proceed', NEW.request_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
"""
SAME_REQUEST_PACK = """
    IF NOT EXISTS (
        SELECT 1 FROM victims_disclosurepack p WHERE p.id = NEW.pack_id
          AND p.request_id = NEW.request_id
    ) THEN
        RAISE EXCEPTION 'disclosure gate: pack % was made for another request', NEW.pack_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DisclosureMeeting(models.Model):
    """The meeting at which the review is handed over, led by a senior manager with a VLO
    present, and its feedback form (what helped, what did not), as the best providers do."""

    request = models.OneToOneField(
        DisclosureRequest, on_delete=models.CASCADE, related_name="meeting"
    )
    held_on = models.DateField("date of the meeting")
    place = models.CharField(max_length=200)
    senior_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="victim liaison officer",
    )
    adjustments = models.TextField("adjustments made", blank=True)
    outcome = models.TextField("outcome of the meeting")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The feedback form, filled in after the meeting.
    what_helped = models.TextField(blank=True)
    what_did_not_help = models.TextField(blank=True)
    questions_raised = models.TextField(blank=True)
    follow_up_agreed = models.TextField(blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        triggers = [
            pgtrigger.Trigger(
                name="meeting_needs_sign_off",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("request_id"),
                func=SIGNED_OFF_GATE,
            )
        ]

    def __str__(self) -> str:
        return f"Disclosure meeting {self.pk}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PlainSummary(models.Model):
    """The plain-language summary for the family, drafted by a senior manager on a form prefilled
    from the review's key findings and actions. One per case: every family gets the same account,
    each in its own pack with its own cover letter."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plain_summary")
    what_happened = models.TextField("what happened in the supervision", blank=True)
    key_findings = models.TextField("what the review found", blank=True)
    reasonable_steps = models.TextField("whether all reasonable steps were taken", blank=True)
    what_has_changed = models.TextField("what has changed since", blank=True)
    edit_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Plain-language summary of {self.case}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DisclosurePack(models.Model):
    """One version of the pack for one request: cover letter, the plain-language summary as it
    stood, a glossary of the acronyms used, and the review as QA completed it (its frozen
    version). Made by a document job; the readability of its summary is kept."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="packs")
    number = models.PositiveIntegerField()
    review_version = models.ForeignKey(
        "reviews.ReviewVersion", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.JSONField(help_text="The summary's text as the pack printed it")
    reading_ease = models.DecimalField(max_digits=5, decimal_places=1)
    unexpanded = models.JSONField(default=list, help_text="Acronyms left unexpanded at first use")
    job = models.ForeignKey(
        "documents.DocumentJob", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="pack_number_unique")
        ]

    def __str__(self) -> str:
        return f"Disclosure pack {self.number} of request {self.request_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PackRelease(models.Model):
    """Who received which version of the pack, when and how. Refused by the database before the
    request's assessment is signed off to proceed."""

    class How(models.TextChoices):
        AT_MEETING = "at_meeting", "Handed over at the meeting"
        POST = "post", "By post, after the meeting"
        SECURE_EMAIL = "secure_email", "By secure email, after the meeting"

    pack = models.ForeignKey(DisclosurePack, on_delete=models.PROTECT, related_name="releases")
    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="releases"
    )
    received_by = models.CharField(
        "received by", max_length=200, help_text="The person, or their representative"
    )
    received_on = models.DateField()
    how = models.CharField(max_length=20, choices=How.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        triggers = [
            pgtrigger.Trigger(
                name="release_needs_sign_off",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("request_id"),
                func=SIGNED_OFF_GATE,
            ),
            pgtrigger.Trigger(
                name="release_of_its_own_pack",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("pack_id", "request_id"),
                func=SAME_REQUEST_PACK,
            ),
        ]

    def __str__(self) -> str:
        return f"Release {self.pk} of pack {self.pack_id}"
