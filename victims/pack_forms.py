"""The senior manager's plain-language summary, as a GOV.UK form."""

from django import forms

from sfo.govuk_forms import GovukFormMixin

HINTS = {
    "what_happened": "What happened while the person was on probation, in a few short sentences.",
    "key_findings": "What the review found: what went wrong, and what went well.",
    "reasonable_steps": "Whether we took all reasonable steps to manage the risk, and why.",
    "what_has_changed": "What we have done since, or are doing now, and how far it has got.",
}
LABELS = {
    "what_happened": "What happened in the supervision",
    "key_findings": "What the review found",
    "reasonable_steps": "Whether all reasonable steps were taken",
    "what_has_changed": "What has changed since",
}


class SummaryForm(GovukFormMixin, forms.Form):
    """The four parts of the summary. None is required to save a draft (`pack_readiness` asks for
    all four before a pack is made); `edit_version` is the version the form was opened at, 0 when
    there was no summary yet, so that a save over someone else's is refused, not lost."""

    what_happened = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    key_findings = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    reasonable_steps = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    what_has_changed = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    edit_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            self.fields[name].label = label
            self.fields[name].help_text = HINTS[name]

    def text(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in LABELS}
