"""The forms of identification, notification, registration, allocation and court outcome.

Each refuses impossible input with a message that says what to do, and keeps what was typed."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from offences.models import Offence
from reviews.models import (
    Case,
    CourtOutcome,
    Gender,
    InchoateForm,
    MappaCategory,
    MappaLevel,
    Qualification,
    Recommendation,
    RoSH,
    SupervisionType,
    crn_validator,
    pnc_validator,
)
from reviews.services import NOTIFICATION_FIELDS
from sfo.govuk_forms import GovukDateField, GovukFormMixin
from sfo.people.models import Organisation, Team, User
from sfo.people.roles import Role


def _not_future(form, *names):
    today = timezone.localdate()
    for name in names:
        value = form.cleaned_data.get(name)
        if value and value > today:
            form.add_error(name, f"{form.fields[name].label} must be today or in the past")


def _choices(choices, blank="Select"):
    return [("", blank), *[(v, label) for v, label in choices if v != ""]]


class OffenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class IdentifyCaseForm(GovukFormMixin, forms.Form):
    person_name = forms.CharField(label="Name of the person on probation", max_length=200)
    crn = forms.CharField(
        label="CRN",
        help_text="Case reference number: one letter and six digits, like X123456",
        max_length=7,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    offence = OffenceChoiceField(
        label="Offence charged", queryset=Offence.objects.filter(active=True), empty_label="Select"
    )
    first_hearing_date = GovukDateField(
        label="Date of the first court hearing", help_text="For example, 18 12 2026"
    )

    def clean_crn(self):
        crn = self.cleaned_data["crn"].strip().upper()
        crn_validator(crn)
        return crn

    def clean(self):
        _not_future(self, "first_hearing_date")
        return self.cleaned_data


class NotificationForm(GovukFormMixin, forms.ModelForm):
    """The notification, grouped as the template lays it out: the person, the supervision, risk,
    and the offence."""

    date_of_birth = GovukDateField(label="Date of birth")
    supervision_start = GovukDateField(label="Start of supervision")
    supervision_end = GovukDateField(
        label="End of supervision",
        required=False,
        help_text="Leave empty if the supervision has not ended",
    )
    offence_date = GovukDateField(label="Date of the offence")
    charge_date = GovukDateField(label="Date of the charge")
    first_hearing_date = GovukDateField(label="Date of the first court hearing")
    responsible_officer = forms.ModelChoiceField(
        label="Responsible officer",
        queryset=User.objects.none(),
        required=False,
        empty_label="Select",
        help_text="The officer managing the case now",
    )

    class Meta:
        model = Case
        fields = NOTIFICATION_FIELDS
        labels = {
            "pnc_number": "PNC number (optional)",
            "ethnicity": "Ethnicity (optional)",
            "iom": "Managed under Integrated Offender Management (IOM)",
            "supervision_type": "Type of supervision",
            "mappa_category": "MAPPA category",
            "mappa_level": "MAPPA level",
            "managing_team": "Managing team",
            "person_name": "Name of the person on probation",
            "crn": "CRN",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provider = self.instance.managing_provider
        self.fields["managing_team"].queryset = Team.objects.filter(organisation=provider)
        self.fields["managing_team"].empty_label = "Select"
        self.fields["managing_team"].required = True
        self.fields["responsible_officer"].queryset = User.objects.filter(
            organisation=provider, groups__name=Role.RESPONSIBLE_OFFICER.value, is_active=True
        )
        current = self.instance.officer_periods.filter(ended_on__isnull=True).first()
        if current:
            self.fields["responsible_officer"].initial = current.officer_id
        for name, choices in (
            ("gender", Gender.choices),
            ("supervision_type", SupervisionType.choices),
            ("rosh_at_offence", RoSH.choices),
            ("highest_rosh", RoSH.choices),
            ("mappa_category", MappaCategory.choices),
            ("mappa_level", MappaLevel.choices),
        ):
            self.fields[name].choices = _choices(choices)
            self.fields[name].widget = forms.Select(choices=self.fields[name].choices)
        for name in (
            "gender",
            "supervision_type",
            "rosh_at_offence",
            "highest_rosh",
            "mappa_category",
            "court",
            "police_force",
        ):
            self.fields[name].required = True

    def clean_crn(self):
        crn = self.cleaned_data["crn"].strip().upper()
        crn_validator(crn)
        return crn

    def clean_pnc_number(self):
        pnc = self.cleaned_data["pnc_number"].strip().upper()
        if pnc:
            pnc_validator(pnc)
        return pnc

    def clean(self):
        data = super().clean()
        _not_future(
            self,
            "date_of_birth",
            "supervision_start",
            "offence_date",
            "charge_date",
            "first_hearing_date",
        )
        offence, charge, hearing = (
            data.get(n) for n in ("offence_date", "charge_date", "first_hearing_date")
        )
        start, end, born = (
            data.get("supervision_start"),
            data.get("supervision_end"),
            data.get("date_of_birth"),
        )
        if offence and charge and charge < offence:
            self.add_error("charge_date", "The charge cannot be before the offence")
        if offence and hearing and hearing < offence:
            self.add_error(
                "first_hearing_date", "The first court hearing cannot be before the offence"
            )
        if charge and hearing and hearing < charge:
            self.add_error(
                "first_hearing_date", "The first court hearing cannot be before the charge"
            )
        if start and end and end < start:
            self.add_error("supervision_end", "The end of supervision cannot be before its start")
        if born and start and start <= born:
            self.add_error(
                "date_of_birth", "The date of birth must be before the supervision started"
            )
        if offence and start and offence < start:
            self.add_error(
                "offence_date",
                "The offence must fall within the supervision: it is before its start",
            )
        if offence and end:
            from sfo.clocks.models import post_supervision_tolerance

            tolerance = post_supervision_tolerance(offence)
            if offence > end + timedelta(days=tolerance):
                self.add_error(
                    "offence_date",
                    f"The offence is more than {tolerance} day{'s' if tolerance != 1 else ''} "
                    "after the supervision ended, so it is not an SFO",
                )
        if data.get("mappa_category") not in (None, "", MappaCategory.NONE) and not data.get(
            "mappa_level"
        ):
            self.add_error("mappa_level", "Select the MAPPA level")
        return data


class ChargedOffenceForm(GovukFormMixin, forms.Form):
    offence = OffenceChoiceField(
        label="Offence",
        queryset=Offence.objects.filter(active=True),
        empty_label="Select",
        required=False,
    )
    form = forms.ChoiceField(
        label="Charged as",
        required=False,
        choices=[("", "The offence itself"), *InchoateForm.choices],
    )
    firearm_used = forms.BooleanField(
        label="A firearm or imitation firearm was used", required=False
    )
    penetration = forms.BooleanField(label="Penetration was involved", required=False)
    victim_under_13 = forms.BooleanField(label="The victim was under 13", required=False)


ChargedOffenceFormSet = forms.formset_factory(ChargedOffenceForm, extra=1, max_num=5)


class RegistrationForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("register", "Register it as an SFO"), ("reject", "Reject the notification")],
    )
    rejection_reason = forms.CharField(
        label="Why it is rejected", widget=forms.Textarea, required=False
    )
    qualification_override = forms.ChoiceField(
        label="Qualification",
        required=False,
        choices=[("", "Keep the qualification the system found"), *Qualification.choices],
    )
    override_justification = forms.CharField(
        label="Why the qualification is overridden", widget=forms.Textarea, required=False
    )
    high_profile = forms.BooleanField(label="This is a high-profile case", required=False)
    reviewing_provider = forms.ModelChoiceField(
        label="Provider directed to carry out the review",
        required=False,
        queryset=Organisation.objects.filter(kind__in=["probation_division", "crc"], active=True),
        empty_label="The managing provider reviews it",
    )
    comment = forms.CharField(label="Comment (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, manager: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not manager:
            del self.fields["high_profile"]
            del self.fields["reviewing_provider"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("rejection_reason", "").strip():
            self.add_error("rejection_reason", "Enter why the notification is rejected")
        if (
            data.get("qualification_override")
            and not data.get("override_justification", "").strip()
        ):
            self.add_error("override_justification", "Enter why the qualification is overridden")
        return data


class AllocationForm(GovukFormMixin, forms.Form):
    reviewer = forms.ModelChoiceField(
        label="SFO reviewer", queryset=User.objects.none(), empty_label="Select"
    )
    comment = forms.CharField(label="Comment (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            organisation_id=case.review_provider_id,
            groups__name=Role.SFO_REVIEWER.value,
            is_active=True,
        ).order_by("last_name", "first_name")


class CourtOutcomeForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Court outcome", widget=forms.RadioSelect, choices=CourtOutcome.choices
    )
    outcome_date = GovukDateField(label="Date of the outcome", required=False)

    def clean(self):
        data = super().clean()
        _not_future(self, "outcome_date")
        if data.get("outcome") not in (None, CourtOutcome.PENDING) and not data.get("outcome_date"):
            self.add_error("outcome_date", "Enter the date of the outcome")
        return data


class EarlyLookForm(GovukFormMixin, forms.Form):
    case_summary = forms.CharField(
        label="Summary of the case", widget=forms.Textarea, required=False
    )
    significant_concerns = forms.CharField(
        label="Significant concerns", widget=forms.Textarea, required=False
    )
    practice_issues = forms.CharField(
        label="Practice issues needing immediate management action",
        widget=forms.Textarea,
        required=False,
    )
    may_be_high_profile = forms.BooleanField(label="The case may be high-profile", required=False)
    recommendation = forms.ChoiceField(
        label="Your recommendation",
        widget=forms.RadioSelect,
        required=False,
        choices=Recommendation.choices,
    )
    recommendation_reason = forms.CharField(label="Why", widget=forms.Textarea, required=False)


class ImmediateActionForm(GovukFormMixin, forms.Form):
    action = forms.CharField(label="Action", widget=forms.Textarea, required=False)
    owner = forms.CharField(label="Who does it", required=False, max_length=200)
    due_on = GovukDateField(label="By when", required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") and not data.get("owner"):
            self.add_error("owner", "Enter who does this action")
        if (data.get("owner") or data.get("due_on")) and not data.get("action"):
            self.add_error("action", "Enter the action")
        return data


ImmediateActionFormSet = forms.formset_factory(ImmediateActionForm, extra=1, max_num=20)


class ExtensionRequestForm(GovukFormMixin, forms.Form):
    days = forms.IntegerField(
        label="How many more days",
        min_value=1,
        max_value=120,
        help_text="Working days, or calendar days for the three-month review clock",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    reason = forms.CharField(label="Why more time is needed", widget=forms.Textarea)


class ExtensionDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve the extension"), ("refuse", "Refuse it")],
    )
    days_granted = forms.IntegerField(
        label="Days granted",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Leave empty to grant the days asked for",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label="Note to the provider (optional)", widget=forms.Textarea, required=False
    )


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea)
