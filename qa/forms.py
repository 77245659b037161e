"""Forms of central QA: the assessment (answers, ratings, feedback), allocation, and the queue's
filters. They validate what was typed and keep it all on a bad submission; the services decide."""

from django import forms

from qa.models import AssessmentStatus, QAAssessment, QAMode
from qa.services import AssessmentInput, feedback_sections_of, questions_of
from reviews.models import STRUCTURED_SECTIONS, Answer, SectionKey
from reviews.workflow import CaseState
from sfo.govuk_forms import GovukFormMixin, optional_textarea


class AssessmentForm(GovukFormMixin, forms.Form):
    """The QA standards of the round's mode (each yes / partly / no with a comment), feedback
    against the sections the mode covers, the two ratings, overall feedback, and whether the
    review is incomplete. Which button was pressed decides between saving and completing."""

    mode = forms.ChoiceField(
        label="Kind of QA",
        choices=QAMode.choices,
        widget=forms.RadioSelect,
        help_text="Targeted QA covers the chronology, the key findings and the action plan",
    )

    def __init__(self, *args, assessment: QAAssessment, **kwargs):
        if not args or args[0] is None:
            kwargs.setdefault("initial", initial_of(assessment))
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.forced_full = bool(assessment.full_qa_reasons)
        # Every standard and section is on the page; those of the mode chosen are the ones kept.
        full = QAAssessment(mode=QAMode.FULL, standards=assessment.standards)
        self.questions = questions_of(full)
        for q in self.questions:
            self.fields[f"answer_{q.pk}"] = forms.ChoiceField(
                label=f"{q.position}. {q.question}" + ("" if q.targeted else " (full QA only)"),
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"answer_comment_{q.pk}"] = optional_textarea(
                f"Comment on standard {q.position} (optional)"
            )
        self.sections = feedback_sections_of(full)
        for key in self.sections:
            label = SectionKey(key).label
            if key not in STRUCTURED_SECTIONS:
                label += " (full QA only)"
            self.fields[f"section_{key}"] = optional_textarea(f"Feedback on {label}")
        levels = [(level.pk, level.label) for level in assessment.scale.levels.all()]
        for name, label in (
            ("review_rating", "Rating of the review"),
            ("action_plan_rating", "Rating of the action plan"),
        ):
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=levels, coerce=int, required=False, widget=forms.RadioSelect
            )
        self.fields["feedback"] = optional_textarea(
            "Overall feedback to the provider",
            "What the review does well, and what would make it better: the provider reads this",
            rows=8,
        )
        self.fields["marked_incomplete"] = forms.BooleanField(
            label="The review is incomplete: it must be amended and re-submitted",
            required=False,
        )
        if self.forced_full:
            self.fields["mode"].help_text = "Full QA is required: " + " ".join(
                assessment.full_qa_reasons
            )
            self.fields["mode"].required = False

    def standard_rows(self):
        return [(q, self[f"answer_{q.pk}"], self[f"answer_comment_{q.pk}"]) for q in self.questions]

    def section_fields(self):
        return [self[f"section_{key}"] for key in self.sections]

    def to_input(self) -> AssessmentInput:
        data = self.cleaned_data
        return AssessmentInput(
            mode=QAMode.FULL if self.forced_full else data.get("mode") or QAMode.TARGETED,
            answers={
                q.pk: (data.get(f"answer_{q.pk}", ""), data.get(f"answer_comment_{q.pk}", ""))
                for q in self.questions
            },
            sections={key: data.get(f"section_{key}", "") for key in self.sections},
            review_rating=data.get("review_rating"),
            action_plan_rating=data.get("action_plan_rating"),
            feedback=data.get("feedback", ""),
            marked_incomplete=bool(data.get("marked_incomplete")),
        )

    def add_service_errors(self, errors: dict) -> None:
        """Put each of the service's complaints against the field it concerns."""
        for key, messages in errors.items():
            name = key.replace("answer-", "answer_") if key.startswith("answer-") else key
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def initial_of(assessment: QAAssessment) -> dict:
    """The saved draft, as the form's initial values."""
    if assessment.pk is None:
        return {"mode": assessment.mode}
    initial = {
        "mode": assessment.mode,
        "review_rating": assessment.review_rating_id,
        "action_plan_rating": assessment.action_plan_rating_id,
        "feedback": assessment.feedback,
        "marked_incomplete": assessment.marked_incomplete,
    }
    for answer in assessment.answers.all():
        initial[f"answer_{answer.standard_id}"] = answer.answer
        initial[f"answer_comment_{answer.standard_id}"] = answer.comment
    for remark in assessment.section_feedback.all():
        initial[f"section_{remark.section}"] = remark.comment
    return initial


class AllocationForm(GovukFormMixin, forms.Form):
    qa_reviewer = forms.ModelChoiceField(
        label="Allocate to",
        queryset=None,
        empty_label="Choose a member of the central QA team",
        error_messages={"required": "Choose who rates this review"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qa_reviewer"].queryset = people
        self.fields["qa_reviewer"].label_from_instance = lambda u: u.get_full_name() or u.username


QUEUE_STATES = [
    (CaseState.WITH_CENTRAL_TEAM, "Waiting to be taken"),
    (CaseState.CENTRAL_QA, "Being rated"),
    (CaseState.RETURNED_FOR_AMENDMENTS, "Returned for amendments"),
    (CaseState.QA_COMPLETE, "QA complete"),
]


class QueueFilterForm(GovukFormMixin, forms.Form):
    """The queue's filters, from the query string; blank means any."""

    provider = forms.ModelChoiceField(
        label="Provider", queryset=None, required=False, empty_label="Any provider"
    )
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "With the central team (waiting or being rated)"), *QUEUE_STATES],
    )
    mode = forms.ChoiceField(
        label="Kind of QA", required=False, choices=[("", "Any"), *QAMode.choices]
    )
    rating = forms.ChoiceField(label="Latest review rating", required=False, choices=[])
    qa_reviewer = forms.ChoiceField(label="QA reviewer", required=False, choices=[])

    def __init__(self, *args, providers, levels, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["rating"].choices = [
            ("", "Any"),
            ("none", "Not rated yet"),
            *[(label, label) for label in levels],
        ]
        self.fields["qa_reviewer"].choices = [
            ("", "Anyone"),
            ("none", "Not allocated"),
            *[(str(u.pk), u.get_full_name() or u.username) for u in people],
        ]


__all__ = ["AssessmentForm", "AllocationForm", "QueueFilterForm", "AssessmentStatus"]
