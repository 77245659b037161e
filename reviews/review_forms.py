"""The forms of the full review: a narrative section, the conclusion with its judgement, a key
finding, an action of the plan. Each carries the version it was opened at, so that a save over
someone else's is caught (see `reviews.authoring.EditConflict`)."""

from django import forms
from django.db.models import Q

from reviews.models import (
    ActionLevel,
    Dissemination,
    FindingKind,
    Judgement,
    SectionStatus,
    Theme,
)
from sfo.govuk_forms import GovukDateField, GovukFormMixin

EDITABLE_STATUSES = [
    (SectionStatus.IN_PROGRESS, "No, I'll come back to it later"),
    (SectionStatus.COMPLETED, "Yes, I've completed this section"),
]


class VersionedForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SectionForm(VersionedForm):
    text = forms.CharField(label="", widget=forms.Textarea(attrs={"rows": 18}), required=False)
    status = forms.ChoiceField(
        label="Have you completed this section?",
        widget=forms.RadioSelect,
        choices=EDITABLE_STATUSES,
        initial=SectionStatus.IN_PROGRESS,
        error_messages={"required": "Say whether you have completed this section"},
    )


class ConclusionForm(SectionForm):
    all_reasonable_steps = forms.ChoiceField(
        label="Were all reasonable steps taken to manage the risk of serious harm?",
        widget=forms.RadioSelect,
        choices=Judgement.choices,
        required=False,
        help_text="The one thing a review cannot go without: the inspection found no clear "
        "judgement in one review in five.",
    )
    judgement_reasons = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Say why, not only what: the reasons that lead to the judgement.",
    )
    field_order = ["all_reasonable_steps", "judgement_reasons", "text", "status", "version"]

    def clean(self):
        data = super().clean()
        if data.get("status") == SectionStatus.COMPLETED:
            if not data.get("all_reasonable_steps"):
                self.add_error(
                    "all_reasonable_steps",
                    "Say whether all reasonable steps were taken before you complete the "
                    "conclusion",
                )
            if not (data.get("judgement_reasons") or "").strip():
                self.add_error("judgement_reasons", "Give the reasons for the judgement")
        return data


def themes_field(what: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Themes",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=f"Choose the themes of the national taxonomy this {what} is about, so that "
        "the learning can be counted across reviews. Select all that apply.",
    )


def theme_choices(kept=()) -> list[tuple[str, str]]:
    """(slug, name) of the active themes, and of retired ones already on the row (`kept`), so
    that saving a finding does not drop a tag only because its theme was retired since."""
    return list(
        Theme.objects.filter(Q(active=True) | Q(slug__in=list(kept)))
        .order_by("position", "name")
        .values_list("slug", "name")
    )


class ThemedForm(VersionedForm):
    """A form with the themes' checkboxes: the active themes, plus those kept on the row."""

    def __init__(self, *args, kept_themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices(kept_themes)


class FindingForm(ThemedForm):
    title = forms.CharField(
        label="Finding",
        max_length=200,
        help_text="A short statement, for example “Risk was not reassessed after the arrest”",
        error_messages={"required": "Enter the finding"},
    )
    kind = forms.ChoiceField(
        label="Kind of finding",
        widget=forms.RadioSelect,
        choices=FindingKind.choices,
        error_messages={"required": "Choose the kind of finding"},
    )
    analysis = forms.CharField(
        label="Analysis",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Why it happened, not only what happened.",
        error_messages={"required": "Enter the analysis"},
    )
    dissemination = forms.ChoiceField(
        label="If this is good practice: should it be shared?",
        widget=forms.RadioSelect,
        choices=Dissemination.choices,
        required=False,
        help_text="Only for good practice: whether it should be shared in your area or nationally",
    )
    themes = themes_field("finding")

    def clean(self):
        data = super().clean()
        if data.get("dissemination") and data.get("kind") != FindingKind.GOOD_PRACTICE:
            self.add_error("dissemination", "Only good practice is marked for dissemination")
        return data


class ActionForm(ThemedForm):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the action"},
    )
    level = forms.ChoiceField(
        label="Level",
        widget=forms.RadioSelect,
        choices=ActionLevel.choices,
        help_text="The inspection found most action plans aimed at individuals: aim each action "
        "where the change has to happen.",
        error_messages={"required": "Choose the level of the action"},
    )
    agency = forms.CharField(
        label="External agency", max_length=200, required=False, help_text="When external"
    )
    owner = forms.CharField(
        label="Owner", max_length=200, error_messages={"required": "Enter who owns the action"}
    )
    due_on = GovukDateField(label="Due date", error_messages={"required": "Enter the due date"})
    finding = forms.TypedChoiceField(
        label="The key finding it answers",
        required=False,
        coerce=int,
        empty_value=None,
    )

    themes = themes_field("action")

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [("", "None")] + [(f.pk, f.title) for f in findings]

    def clean(self):
        data = super().clean()
        if data.get("level") == ActionLevel.EXTERNAL and not (data.get("agency") or "").strip():
            self.add_error("agency", "Name the external agency the action is for")
        return data


class ProgressActionForm(GovukFormMixin, forms.Form):
    evidence = forms.CharField(
        label="Evidence that the change was disseminated and embedded",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="For example: briefed at the team meeting of 3 March; audit of 10 cases in "
        "June found the new check in each.",
    )


class SendForLocalQAForm(GovukFormMixin, forms.Form):
    comment = forms.CharField(
        label="Anything the review manager should know (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
