"""The dashboard's filters (a year or a period, and a provider) and the annual report's year."""

from datetime import date

from django import forms

from sfo.govuk_forms import GovukDateField, GovukFormMixin, YearOrPeriodMixin


def last_full_year(today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def _year_field(label: str, help_text: str, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Year must be a whole number, like 2025",
            "required": "Enter the year of the report, like 2025",
        },
    )


class PictureFilterForm(YearOrPeriodMixin, GovukFormMixin, forms.Form):
    """A calendar year, or a period from one date to another (a blank end is today), and a
    provider or every provider. Nothing chosen is the last full calendar year, nationally."""

    year = _year_field("Year", "From 1 January to 31 December. For example, 2025", False)
    start = GovukDateField(
        label="Start of the period", required=False, help_text="For example, 1 4 2025"
    )
    end = GovukDateField(
        label="End of the period", required=False, help_text="For example, 31 3 2026"
    )
    provider = forms.ChoiceField(label="Provider", required=False)

    def __init__(self, *args, today: date, providers: list | None, **kwargs):
        """`providers`: (id, name) pairs to choose from; None when the user sees their own only,
        and the field is dropped."""
        self.today = today
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["provider"]
        else:
            self.fields["provider"].choices = [("", "Every provider (national)")] + [
                (str(pk), name) for pk, name in providers
            ]

    def clean(self):
        data = super().clean()
        if self.errors or self.took_year(data):
            return data
        start, end = data.get("start"), data.get("end")
        if not start and not end:
            data["start"], data["end"] = last_full_year(self.today)
            return data
        if not start:
            self.add_error("start", "Enter the start of the period")
        elif start > self.today:
            self.add_error("start", "Start of the period must be today or in the past")
        else:
            end = data["end"] = end or self.today
            if end < start:
                self.add_error("end", "End of the period must be the same as or after its start")
        return data

    @property
    def provider_pk(self) -> int | None:
        value = self.cleaned_data.get("provider") if hasattr(self, "cleaned_data") else None
        return int(value) if value else None


class AnnualReportForm(YearOrPeriodMixin, GovukFormMixin, forms.Form):
    year = _year_field(
        "Year of the report",
        "Reviews submitted, notifications received and QA completed in this calendar year. "
        "For example, 2025",
        True,
    )

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
