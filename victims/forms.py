"""Forms of the victims' records and the disclosure request. They check what was typed and keep
all of it on a bad submission; the services in `victims.services` decide, and their complaints are
put against the fields they concern (`add_service_error`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sfo.govuk_forms import GovukDateField, GovukFormMixin, optional_textarea
from sfo.people.models import User
from sfo.people.roles import Role
from victims import services
from victims.models import (
    ContactMethod,
    ContactOutcome,
    Decision,
    DisclosurePack,
    PackRelease,
    Relationship,
    RiskLevel,
    VCSChoice,
    Victim,
    VulnerabilityAssessment,
    YesNoNotKnown,
)


def staff_of(case, role: Role):
    """Active people of the case's managing provider in a role: whom a form may name."""
    return User.objects.filter(
        is_active=True, organisation_id=case.managing_provider_id, groups__name=role.value
    ).order_by("last_name", "first_name", "pk")


def _person(user) -> str:
    return user.get_full_name() or user.username


def add_service_error(form: forms.Form, error: ValidationError, fields: dict | None = None):
    """Put a service's ValidationError on the form: a dict's messages against the fields they name
    (renamed through `fields` where the service's name differs), the rest above the form."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            name = fields.get(key, key)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _not_future(form, *names):
    today = timezone.localdate()
    for name in names:
        value = form.cleaned_data.get(name)
        if value and value > today:
            form.add_error(name, f"{form.fields[name].label} cannot be in the future")


class VictimForm(GovukFormMixin, forms.ModelForm):
    """A victim's or family member's details. The VCS officer is one of the active victim liaison
    officers of the case's managing provider."""

    class Meta:
        model = Victim
        fields = list(services.VICTIM_FIELDS)
        widgets = {
            "relationship": forms.RadioSelect,
            "age_band": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "support_needs": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"full_name": "Full name", "age_band": "Age"}
        error_messages = {
            "full_name": {"required": "Enter their full name"},
            "relationship": {"required": "Say whether they are the victim or a family member"},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        officer = self.fields["vcs_officer"]
        officer.queryset = staff_of(case, Role.VICTIM_LIAISON_OFFICER)
        officer.label_from_instance = _person
        officer.empty_label = "Not yet chosen"
        self.fields["relationship"].choices = list(Relationship.choices)
        self.fields["preferred_contact"].choices = [("", "Not known")] + list(ContactMethod.choices)
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if data.get("relationship") == "family" and not data.get("relationship_to_victim"):
            self.add_error(
                "relationship_to_victim", "Say how they are related to the victim (mother, son…)"
            )
        return data

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.VICTIM_FIELDS}

    def _post_clean(self):
        # The service validates and saves the record; the form's own model check would need the
        # case on the instance and would change the record in memory before the service runs.
        pass


class ContactForm(GovukFormMixin, forms.Form):
    made_on = GovukDateField(
        label="Date of the contact",
        help_text="For example, 18 12 2026",
        error_messages={"required": "Enter the date of the contact"},
    )
    method = forms.ChoiceField(
        label="How",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you contacted them"},
    )
    outcome = forms.ChoiceField(
        label="What came of it",
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what came of the contact"},
        help_text="Speaking to them about the entitlement, or sending the letter, closes their "
        "entitlement task",
    )
    notes = optional_textarea("Notes (optional)")

    def clean(self):
        data = super().clean()
        _not_future(self, "made_on")
        return data


class VCSChoiceForm(GovukFormMixin, forms.Form):
    choice = forms.ChoiceField(
        label="Their choice about the victim contact scheme",
        choices=[(VCSChoice.OPTED_IN, "Opted in"), (VCSChoice.DECLINED, "Declined")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they opted in or declined"},
    )
    on = GovukDateField(
        label="Date of their choice",
        help_text="For example, 18 12 2026",
        error_messages={"required": "Enter the date of their choice"},
    )

    def clean(self):
        data = super().clean()
        _not_future(self, "on")
        return data


class RequestForm(GovukFormMixin, forms.Form):
    requested_on = GovukDateField(
        label="Date of the request",
        help_text="The day they asked to see the review, for example 18 12 2026",
        error_messages={"required": "Enter the date of the request"},
    )
    how_made = forms.ChoiceField(
        label="How the request was made",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the request was made"},
    )

    def clean(self):
        data = super().clean()
        _not_future(self, "requested_on")
        return data


class AssessmentForm(GovukFormMixin, forms.Form):
    """The vulnerability and risk assessment before disclosure (recommendation 15). Every field may
    be left blank in a draft; completing it asks the service, which says what is missing."""

    self_harm = forms.ChoiceField(
        label="Risk of self-harm",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    serious_harm = forms.ChoiceField(
        label="Risk of serious harm to or from the person",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    in_relationship = forms.ChoiceField(
        label="Are they still in a relationship with the perpetrator?",
        choices=YesNoNotKnown.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    risk_to_staff = forms.ChoiceField(
        label="Risk to staff", choices=RiskLevel.choices, widget=forms.RadioSelect, required=False
    )
    risk_details = optional_textarea(
        "What the risks are, and their sources",
        "Include what you learned from the police, the offender manager and any other agency",
        rows=5,
    )
    safeguarding = optional_textarea("Safeguarding concerns", rows=4)
    support = optional_textarea(
        "Support and adjustments needed",
        "An advocate, an interpreter, a quiet room, a shorter meeting, the pack sent in advance…",
        rows=4,
    )
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, widget=forms.RadioSelect, required=False
    )
    review_on = GovukDateField(
        label="If deferred, the date to review the deferral",
        required=False,
        help_text="For example, 18 12 2026",
    )
    reasons = optional_textarea("Reasons for the decision", rows=5)

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.ASSESSMENT_FIELDS}


def assessment_initial(assessment: VulnerabilityAssessment | None, *, fresh: bool = False) -> dict:
    """A draft's answers; for a fresh assessment after a deferral, the risks as last assessed,
    leaving the decision to be made again."""
    if assessment is None:
        return {}
    initial = {name: getattr(assessment, name) for name in services.ASSESSMENT_FIELDS}
    if fresh:
        for name in ("decision", "review_on", "reasons"):
            initial.pop(name)
    return initial


class SignOffForm(GovukFormMixin, forms.Form):
    note = optional_textarea(
        "Note",
        "Optional when you sign it off; say what needs looking at again if you send it back",
        rows=4,
    )


class DeclineForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why the request ends",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: they withdrew it, or they asked not to be contacted again",
        error_messages={"required": "Say why the request ends"},
    )


def ready_packs(request) -> "forms.QuerySet":
    from sfo.documents.models import JobStatus

    return DisclosurePack.objects.filter(request=request, job__status=JobStatus.DONE).order_by(
        "-number"
    )


def _pack_label(pack: DisclosurePack) -> str:
    return f"Version {pack.number}, made {timezone.localtime(pack.created_at):%-d %B %Y}"


class MeetingForm(GovukFormMixin, forms.Form):
    """The disclosure meeting, led by a senior manager with a VLO present, and the version of the
    pack handed over."""

    held_on = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 18 12 2026",
        error_messages={"required": "Enter the date of the meeting"},
    )
    place = forms.CharField(
        label="Place", max_length=200, error_messages={"required": "Enter where it was held"}
    )
    senior_manager = forms.ModelChoiceField(
        label="Senior manager who led it",
        queryset=User.objects.none(),
        empty_label="Choose a senior manager",
        error_messages={"required": "Choose the senior manager who led the meeting"},
    )
    liaison_officer = forms.ModelChoiceField(
        label="Victim liaison officer who attended",
        queryset=User.objects.none(),
        empty_label="Choose a victim liaison officer",
        error_messages={"required": "Choose the victim liaison officer who attended"},
    )
    adjustments = optional_textarea("Adjustments made (optional)")
    outcome = forms.CharField(
        label="Outcome of the meeting",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the outcome of the meeting was"},
    )
    pack = forms.ModelChoiceField(
        label="Version of the pack handed over",
        queryset=DisclosurePack.objects.none(),
        empty_label="Choose a version",
        error_messages={"required": "Choose the version of the pack handed over"},
    )
    received_by = forms.CharField(
        label="Who received the pack",
        max_length=200,
        help_text="The person, or their representative",
        error_messages={"required": "Say who received the pack"},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        case = request.victim.case
        for name, role in (
            ("senior_manager", Role.SENIOR_MANAGER),
            ("liaison_officer", Role.VICTIM_LIAISON_OFFICER),
        ):
            self.fields[name].queryset = staff_of(case, role)
            self.fields[name].label_from_instance = _person
        self.fields["pack"].queryset = ready_packs(request)
        self.fields["pack"].label_from_instance = _pack_label

    def clean(self):
        data = super().clean()
        _not_future(self, "held_on")
        return data


class FeedbackForm(GovukFormMixin, forms.Form):
    """The feedback form after the meeting, as the best providers already use."""

    what_helped = optional_textarea("What helped", rows=4)
    what_did_not_help = optional_textarea("What did not help", rows=4)
    questions_raised = optional_textarea("Questions they raised", rows=4)
    follow_up_agreed = optional_textarea("Follow-up agreed", rows=4)

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in services.FEEDBACK_FIELDS}


class ReleaseForm(GovukFormMixin, forms.Form):
    """A later version of the pack sent after the meeting."""

    pack = forms.ModelChoiceField(
        label="Version of the pack sent",
        queryset=DisclosurePack.objects.none(),
        empty_label="Choose a version",
        error_messages={"required": "Choose the version of the pack sent"},
    )
    received_by = forms.CharField(
        label="Who received it",
        max_length=200,
        help_text="The person, or their representative",
        error_messages={"required": "Say who received the pack"},
    )
    received_on = GovukDateField(
        label="Date they received it",
        help_text="For example, 18 12 2026",
        error_messages={"required": "Enter the date they received it"},
    )
    how = forms.ChoiceField(
        label="How it was sent",
        choices=[
            (value, label)
            for value, label in PackRelease.How.choices
            if value != PackRelease.How.AT_MEETING
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was sent"},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = ready_packs(request)
        self.fields["pack"].label_from_instance = _pack_label

    def clean(self):
        data = super().clean()
        _not_future(self, "received_on")
        return data
