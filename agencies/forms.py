"""The forms of the other agencies' pages. They check what was typed; `agencies.services` checks
the rest and refuses. A form given back with errors keeps everything typed (Django's bound data)."""

from django import forms

from agencies.models import (
    Agency,
    AgencyKind,
    ContributionOutcome,
    ParallelReviewKind,
    ShareMeans,
)
from reviews.models import ReviewVersion
from sfo.govuk_forms import GovukDateField, GovukFormMixin


def add_service_error(form, error) -> None:
    for message in getattr(error, "messages", [str(error)]):
        form.add_error(None, message)


class VersionedForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def role_field() -> forms.CharField:
    return forms.CharField(
        label="What it did in the case",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: domestic abuse call-outs in the year before the offence; shared "
        "a risk assessment with the offender manager.",
        error_messages={"required": "Say what the agency did in the case"},
    )


class InvolvementForm(GovukFormMixin, forms.Form):
    """An agency of the register, or one it lacks, and what it did in the case."""

    agency = forms.TypedChoiceField(
        label="Agency",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="If it is not in the list, leave this as it is and name it below.",
    )
    new_name = forms.CharField(
        label="Name of an agency not in the list", max_length=200, required=False
    )
    new_kind = forms.ChoiceField(
        label="Kind of agency",
        required=False,
        choices=[("", "Choose the kind")] + AgencyKind.choices,
        help_text="Only for an agency not in the list",
    )
    new_area = forms.CharField(label="Area it works in (optional)", max_length=120, required=False)
    role = role_field()

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {
            a.pk: a for a in Agency.objects.filter(active=True).exclude(pk__in=list(exclude))
        }
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (a.pk, a.name) for a in sorted(self.agencies.values(), key=lambda a: a.name)
        ]

    def clean(self):
        data = super().clean()
        chosen, name = data.get("agency"), (data.get("new_name") or "").strip()
        if chosen is not None and chosen not in self.agencies:
            self.add_error("agency", "Choose an agency from the list")
        elif chosen is None and not name:
            self.add_error("agency", "Choose the agency, or name one that is not in the list")
        elif chosen is not None and name:
            self.add_error("new_name", "Choose an agency from the list or name another, not both")
        elif name and not data.get("new_kind"):
            self.add_error("new_kind", "Choose the kind of agency")
        return data

    def chosen(self):
        return self.agencies.get(self.cleaned_data.get("agency"))


class RoleForm(VersionedForm):
    role = role_field()


class RequestForm(GovukFormMixin, forms.Form):
    asked = forms.CharField(
        label="What was asked",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: its records of contact with the person in the two years before "
        "the offence, and an interview with the officer in charge.",
        error_messages={"required": "Say what was asked of the agency"},
    )
    requested_on = GovukDateField(
        label="Date of the request", error_messages={"required": "Enter the date of the request"}
    )
    due_on = GovukDateField(
        label="Reply due by", error_messages={"required": "Enter the date the reply is due"}
    )

    def clean(self):
        data = super().clean()
        asked_on, due = data.get("requested_on"), data.get("due_on")
        if asked_on and due and due < asked_on:
            self.add_error("due_on", "The reply cannot be due before the request was made")
        return data


class ReplyForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="What came back",
        widget=forms.RadioSelect,
        choices=ContributionOutcome.choices,
        error_messages={"required": "Choose what came back"},
    )
    received_on = GovukDateField(
        label="Date received", required=False, help_text="When it was received"
    )
    summary = forms.CharField(
        label="Summary of what came back",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What the contribution says, or why the agency declined.",
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ContributionOutcome.RECEIVED:
            if not data.get("received_on") and "received_on" not in self.errors:
                self.add_error("received_on", "Enter the date the contribution was received")
            if not (data.get("summary") or "").strip():
                self.add_error("summary", "Summarise what came back")
        return data


class ConcernsForm(VersionedForm):
    findings = forms.TypedMultipleChoiceField(
        label="Key findings that concern this agency",
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        required=False,
    )
    actions = forms.TypedMultipleChoiceField(
        label="Actions that concern this agency",
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        required=False,
        help_text="An action for it, or one that changes how probation works with it.",
    )

    def __init__(self, *args, findings=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = [
            (f.pk, f"{n}. {f.title}") for n, f in enumerate(findings, start=1)
        ]
        self.fields["actions"].choices = [
            (
                a.pk,
                f"{n}. {a.description[:140]}"
                + (f" (external: {a.agency})" if a.agency else f" ({a.get_level_display()})"),
            )
            for n, a in enumerate(actions, start=1)
        ]


class ShareForm(GovukFormMixin, forms.Form):
    job = forms.TypedChoiceField(
        label="Which extract was sent",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The PDF made for this agency",
    )
    recipient_name = forms.CharField(
        label="Sent to (name)", max_length=200, error_messages={"required": "Enter their name"}
    )
    recipient_role = forms.CharField(
        label="Their role", max_length=200, error_messages={"required": "Enter their role"}
    )
    recipient_agency = forms.CharField(
        label="Their agency", max_length=200, error_messages={"required": "Enter their agency"}
    )
    means = forms.ChoiceField(
        label="How it was sent",
        widget=forms.RadioSelect,
        choices=ShareMeans.choices,
        error_messages={"required": "Choose how it was sent"},
    )
    sent_on = GovukDateField(
        label="Date sent", error_messages={"required": "Enter the date it was sent"}
    )
    note = forms.CharField(
        label="Note (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        numbers = dict(
            ReviewVersion.objects.filter(
                pk__in=[job.params.get("version") for job in jobs if job.params.get("version")]
            ).values_list("pk", "number")
        )

        def taken_from(job) -> str:
            number = numbers.get(job.params.get("version"))
            return f"version {number} of the review" if number else "the draft of the review"

        self.fields["job"].choices = [("", "None: sent without a PDF made here")] + [
            (job.pk, f"Extract made on {job.created_at:%-d %B %Y at %H:%M}, from {taken_from(job)}")
            for job in jobs
        ]


class ParallelReviewForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Kind of review",
        widget=forms.RadioSelect,
        choices=ParallelReviewKind.choices,
        error_messages={"required": "Choose the kind of review"},
    )
    lead_body = forms.CharField(
        label="Led by",
        max_length=200,
        help_text="For example: the community safety partnership of the area",
        error_messages={"required": "Enter the body that leads the review"},
    )
    reference = forms.CharField(label="Its reference (optional)", max_length=100, required=False)
    commissioned_on = GovukDateField(label="Commissioned on", required=False)
    expected_on = GovukDateField(label="Expected to complete by", required=False)
    completed_on = GovukDateField(label="Completed on", required=False)
    contact = forms.CharField(label="Contact (optional)", max_length=200, required=False)
    sharing = forms.CharField(
        label="How the work is shared to avoid duplication",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="For example: the SFO review's chronology is shared with the panel; one joint "
        "interview with the offender manager.",
    )
