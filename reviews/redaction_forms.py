"""The forms of redaction and of the staff's responses, as GOV.UK forms. The service
(`reviews.redaction`) checks the rest, such as the words being found in the text; its errors are
shown against the field, with what was typed kept."""

from django import forms

from reviews.models import RedactionCategory, Stance
from reviews.redaction import STAFF_NAME_ONLY, is_name_of
from sfo.govuk_forms import GovukFormMixin

WHOLE, PART = "whole", "part"


class MarkForm(GovukFormMixin, forms.Form):
    place = forms.ChoiceField(
        label="Part of the review",
        error_messages={
            "required": "Choose a part of the review",
            "invalid_choice": "Choose a part of the review",
        },
    )
    extent = forms.ChoiceField(
        label="What do you want to withhold?",
        widget=forms.RadioSelect,
        choices=[(PART, "Only the words I copy below"), (WHOLE, "All the text of this part")],
        initial=PART,
        error_messages={"required": "Choose whether to withhold some words or all the text"},
    )
    quote = forms.CharField(
        label="Text to withhold",
        help_text="Copy the words as they are written in this part: they are withheld wherever "
        "they occur in the review, in capitals or not. For a named member of staff, copy only "
        "their name.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(
        label="What kind of information is it?",
        widget=forms.RadioSelect,
        choices=[
            (value, label[:1].upper() + label[1:]) for value, label in RedactionCategory.choices
        ],
        error_messages={"required": "Choose what kind of information this is"},
    )
    staff_member = forms.ModelChoiceField(
        label="The member of staff named",
        help_text="Only for a named member of staff: their own copy shows them their name.",
        queryset=None,
        required=False,
        empty_label="Not a member of staff",
    )
    reason = forms.CharField(
        label="Why is it withheld?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why this is withheld"},
    )

    def __init__(self, *args, places=(), staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Choose a part of the review")] + [
            (place.key, place.label) for place in places
        ]
        self.fields["staff_member"].queryset = staff
        self.fields["staff_member"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}"
            + (f", {user.job_title}" if user.job_title else "")
        )

    def clean(self):
        data = super().clean()
        if data.get("extent") == PART and not (data.get("quote") or "").strip():
            self.add_error(
                "quote", "Enter the text to withhold, or choose to withhold all the text"
            )
        if data.get("category") == RedactionCategory.STAFF:
            if not data.get("staff_member"):
                self.add_error("staff_member", "Choose the member of staff named")
            if data.get("extent") == WHOLE:
                # Their own copy shows them their name: never a whole part of the review.
                self.add_error(
                    "extent",
                    "A named member of staff is withheld by their name: choose to withhold only "
                    "the words you copy, and copy their name",
                )
            elif (
                data.get("staff_member")
                and (data.get("quote") or "").strip()
                and not is_name_of(data["quote"], data["staff_member"])
            ):
                self.add_error("quote", STAFF_NAME_ONLY)
        return data

    def quote_to_withhold(self) -> str:
        return "" if self.cleaned_data.get("extent") == WHOLE else self.cleaned_data["quote"]


class ResponseForm(GovukFormMixin, forms.Form):
    stance = forms.ChoiceField(
        label="Your response to this finding",
        widget=forms.RadioSelect,
        choices=Stance.choices,
        error_messages={"required": "Choose whether you agree, disagree or want to add context"},
    )
    text = forms.CharField(
        label="What you want to say",
        help_text="If you disagree, say why. Context might be your caseload at the time, or "
        "something the review could not know.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"

    def clean(self):
        data = super().clean()
        text = (data.get("text") or "").strip()
        if data.get("stance") == Stance.DISAGREE and not text:
            self.add_error("text", "Say why you disagree with this finding")
        elif data.get("stance") == Stance.CONTEXT and not text:
            self.add_error("text", "Give the context you want to add")
        return data
