"""Form pieces that render as GOV.UK components: the three-box date input, and a mixin that
gives every field the error classes the design system expects."""

from datetime import date

from django import forms


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "components/date_widget.html"

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        super().__init__(
            [
                forms.TextInput({**box, "class": box["class"] + " govuk-input--width-2"}),
                forms.TextInput({**box, "class": box["class"] + " govuk-input--width-2"}),
                forms.TextInput({**box, "class": box["class"] + " govuk-input--width-4"}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *args, **kwargs):
        # Each box is optional on its own so that compress() can say which part is missing.
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields, *args, require_all_fields=False, **kwargs)

    def compress(self, values):
        if not values or not any(values):
            return None
        day, month, year = (str(v or "").strip() for v in values)
        if not (day and month and year):
            missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
            raise forms.ValidationError(f"{self.label} must include a {' and '.join(missing)}")
        try:
            if len(year) != 4:
                raise ValueError
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:
            # A day or month too large for a C integer (99999999999999999999) overflows, rather
            # than failing as an impossible date; either way it is not a real date.
            raise forms.ValidationError(f"{self.label} must be a real date") from error


class GovukFormMixin:
    """Labels from the domain, and no field lost on a bad submission (Django keeps bound data)."""

    def error_summary(self):
        """(field id, message) pairs for the GOV.UK error summary, in the form's order."""

        def target(name):
            field = self[name]
            return field.id_for_label or f"{field.auto_id}_0"

        items = [
            (target(name), error) for name in self.fields for error in self.errors.get(name, [])
        ]
        visible = [field.name for field in self.visible_fields()]
        first = target(visible[0]) if visible else "main-content"
        items += [(first, error) for error in self.non_field_errors()]
        return items


def optional_textarea(label: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    """An optional free-text box of a given height, its text stripped: the comments of QA."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        strip=True,
    )


class YearOrPeriodMixin:
    """For a page of figures with a `year` field and `start` and `end` dates: the year checked
    (from `first_year` to this year, `today` set by the form), and a chosen year turned into its
    first and last days. Each form says what no choice at all means."""

    first_year = 2000
    today: date

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not self.first_year <= year <= self.today.year:
            raise forms.ValidationError(
                f"Year must be between {self.first_year} and {self.today.year}"
            )
        return year

    def took_year(self, data: dict) -> bool:
        """Whether a year was chosen: then `data` holds its first and last days, or the year is
        refused when dates were given as well."""
        year = data.get("year")
        if year is None:
            return False
        if data.get("start") or data.get("end"):
            self.add_error("year", "Choose a year or a period, not both")
        else:
            data["start"], data["end"] = date(year, 1, 1), date(year, 12, 31)
        return True


def rebased(data, current_version):
    """What the writer posted, now based on the version saved meanwhile by someone else: shown
    again beside the saved row, saving it keeps their text over the other person's, knowingly.
    Every field kept, lists of ticked boxes included."""
    data = data.copy()
    data["version"] = str(current_version)
    return data
