"""The central QA and the independent QA of the synthetic national dataset: for every case the
central team has taken for QA, its round of central QA on the version frozen at submission; and an
independent sample of the most recent full year of QA-complete reviews, rated by the independent
body's assessors.

Central QA (DOMAIN.md, workflow step 5, and "The questions QA asks"). A case in central QA has its
assessment in draft; one whose feedback was given (returned for amendments, QA complete, closed)
has it completed on the day of that feedback, by the QA reviewer who took it. A case with the
central team but not yet taken has its round waiting, as `qa.services.open_round` leaves it. The
mode is what the services would give: full where `qa.services.full_qa_reasons` requires it
(high-profile, victim disclosure, a section not completed); full for every review before targeted
QA began in June 2019; targeted otherwise. A review returned for amendments was, as
`complete_assessment` requires, judged incomplete by its QA reviewer, so its QA was full too.
Re-submission is required of the returned reviews; a full QA that completed QA stands for the
round after the re-submission that its first round required (`qa.services.resubmission_due`), as
the dataset writes one round a case; the case carries the flag while it is returned.

The answers have the inspection's shares of "yes": the four questions the review's own profile
decides (a clear judgement 78%, multi-agency working 39%, good practice 57%, organisational
actions 70%) follow that profile (`_review_content`), so that the central QA agrees with the
text; the others are drawn (87%, 67%, 70%, 93%; 85% for "does the action plan answer the key
findings", which the inspection does not give). A targeted QA answers the targeted questions only.
The ratings are quotas over the completed assessments in the inspection's shares (review:
Requires improvement 48%, Satisfactory 15%, Good 37%; action plan 52/24/24), given in the order of
a noisy score of the answers, so that a review answered "no" more often tends to be rated lower.

Independent QA. An administrator (the demo's) draws a sample through `qa.sampling.draw_sample`,
20% of the QA-complete reviews of the most recent full calendar year, with a seed derived from the
command's, for two assessors of the independent body (the demo's, and a second one found or made
here). About two thirds of the sampled reviews have a submitted assessment (some of the rest a
draft), rated so that, mapped onto the central scale through the `ScaleMapping`, they agree with
the central ratings at the inspection's rates (83% of reviews, 76% of action plans). No
independent level maps to "Satisfactory": an assessor rates such a review Good or Requires
improvement (the two levels either side), which counts as a disagreement; the agreements are
drawn among the other reviews.

The reviews app must not import `qa` at module level (dependencies point reviews → qa → victims);
this module belongs to the command that builds the whole national dataset, so it imports `qa`
inside the functions that write QA data."""

import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import JSONField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from reviews.models import (
    STRUCTURED_SECTIONS,
    Answer,
    Case,
    ReviewVersion,
    SectionKey,
    VersionPurpose,
)
from reviews.workflow import CaseState
from sfo.people.models import Organisation, OrganisationKind, Team, User
from sfo.people.roles import Role

S = CaseState
K = SectionKey

TARGETED_QA_FROM = date(2019, 6, 1)  # "since June 2019 targeted QA for most cases"
MARKED_INCOMPLETE = "The QA reviewer judged the review incomplete."
# The share of "yes" to each question, by a word of it (DOMAIN.md, "The questions QA asks").
YES_SHARES = {
    "areas for assessment": 0.87,
    "key risk of harm": 0.67,
    "risk management plan": 0.70,
    "clear judgement": 0.78,
    "implementation": 0.93,
    "multi-agency": 0.39,
    "good practice": 0.57,
    "answer the key findings": 0.85,  # not in the inspection: an assumption
    "organisational": 0.70,
}
PARTLY_SHARE = 0.65  # of the answers that are not "yes"; the rest are "no"
# Ratings by label, best first, in the inspection's shares of the central team's ratings.
REVIEW_RATINGS = {"Good": 37, "Satisfactory": 15, "Requires improvement": 48}
ACTION_PLAN_RATINGS = {"Good": 24, "Satisfactory": 24, "Requires improvement": 52}
# The independent sample, and how far its assessors agree with the central team.
SAMPLE_PROPORTION = Decimal("0.2")
SUBMITTED_SHARE = 2 / 3
DRAFT_SHARE = 0.5  # of the sampled reviews not yet submitted: the rest are not started
REVIEW_AGREEMENT = 0.83
ACTION_PLAN_AGREEMENT = 0.76
INDEPENDENT_BODY = "independent-qa"
ASSESSORS = [  # (username, first name, last name): the demo's assessor, and a second one
    ("assessor.independent-qa", "", ""),
    ("assessor-2.independent-qa", "Priya", "Chandran"),
]
SAMPLE_MARK = "(synthetic national dataset, seed {seed})"

# --- What the QA reviewers write --------------------------------------------------------------

OPENINGS = {
    "Good": [
        "Thank you for a thorough review that explains why practice went as it did, not only "
        "what happened.",
        "A well-evidenced review with a clear line from the chronology to the findings.",
    ],
    "Satisfactory": [
        "The review meets the standards, with some gaps set out below.",
        "A sound review overall; the analysis needs to go further in places.",
    ],
    "Requires improvement": [
        "The review falls short of the standards in ways that matter, set out below.",
        "The review describes events at length but does not yet analyse why practice fell short.",
    ],
}
WEAKNESSES = {
    "areas for assessment": "Not every area for assessment the chronology raises is analysed.",
    "key risk of harm": "The analysis of the key risk of harm factors needs more depth.",
    "risk management plan": "The analysis of the risk management plan is thin.",
    "clear judgement": "The conclusion should state plainly whether all reasonable steps were "
    "taken.",
    "implementation": "Say how the work was implemented and reviewed, not only planned.",
    "multi-agency": "Multi-agency working, MAPPA and information sharing need fuller analysis.",
    "good practice": "Good practice is not identified, although the chronology shows some.",
    "answer the key findings": "The action plan does not answer every key finding.",
    "organisational": "The actions are all for individuals: consider what the organisation "
    "must change.",
}
CLOSINGS_RETURNED = [
    "Please amend the review as set out here and re-submit it through your senior manager.",
    "Re-submission is required: please address each point against its section.",
]
CLOSINGS_COMPLETE = [
    "No re-submission is needed; please share the learning with the staff involved.",
    "QA is complete. Please make sure the action plan is followed through and evidenced.",
]
SECTION_FEEDBACK = {
    K.CHRONOLOGY: [
        "The chronology is long; mark the significant events and say what each one tells us.",
        "Several entries before the review period add little: keep to what bears on the risk.",
    ],
    K.KEY_FINDINGS: [
        "Each finding should say why practice fell short, not only that it did.",
        "Link each finding to the chronology entries that support it.",
    ],
    K.ACTION_PLAN: [
        "Give each action an owner and the evidence that will show it is embedded.",
        "Some due dates are too far off to be useful: bring them forward.",
    ],
    K.MULTI_AGENCY: [
        "Say what the police and MAPPA knew, and whether it was shared in time.",
        "This section needs to analyse how the agencies worked together, not list contacts.",
    ],
    K.KEY_RISK_FACTORS: [
        "Analyse how the known risk factors were assessed and acted upon.",
    ],
    K.CONCLUSION: [
        "State the judgement on reasonable steps in the first sentence.",
    ],
}
# Said of a structured section of a review rated at the top of the scale.
SECTION_PRAISE = {
    K.CHRONOLOGY: "A clear, well-sourced chronology, its significant events marked.",
    K.KEY_FINDINGS: "The findings follow from the analysis and are clearly put.",
    K.ACTION_PLAN: "A proportionate plan, with organisational actions where they are needed.",
}
ANSWER_COMMENTS = [
    "Partly addressed: see the section feedback.",
    "The analysis describes what happened but not why.",
    "Not evidenced in the review as submitted.",
]
INDEPENDENT_COMMENTS = [
    "A clear, well-evidenced review; the action plan follows from the findings.",
    "The review meets most standards; the analysis of risk could go further.",
    "The review narrates events at length but does not say why practice fell short.",
    "The judgement on reasonable steps is clear, but the actions are mostly for individuals.",
]


def quota_counts(n: int, shares: dict) -> dict:
    """How many of n get each label, in proportion to `shares` (largest remainder)."""
    total = sum(shares.values())
    exact = {label: n * weight / total for label, weight in shares.items()}
    counts = {label: int(value) for label, value in exact.items()}
    order = sorted(shares, key=lambda label: exact[label] - counts[label], reverse=True)
    for label in order[: n - sum(counts.values())]:
        counts[label] += 1
    return counts


def keyword_of(question: str) -> str | None:
    question = question.lower()
    return next((word for word in YES_SHARES if word in question), None)


@contextmanager
def given_times(*models):
    """Keep the `updated_at` given (the day of the work) instead of the moment of the load."""
    fields = [model._meta.get_field("updated_at") for model in models]
    saved = [f.auto_now for f in fields]
    try:
        for f in fields:
            f.auto_now = False
        yield
    finally:
        for f, auto_now in zip(fields, saved, strict=True):
            f.auto_now = auto_now


@dataclass
class Round:
    """One case's round of central QA, decided in memory before it is written."""

    case: Case
    rng: random.Random
    profile: object
    version_id: int
    status: str
    mode: str = "targeted"
    reasons: list = field(default_factory=list)
    marked_incomplete: bool = False
    resubmission_required: bool = False
    taken: object = None  # the take_for_qa step
    feedback: object = None  # the return_for_amendments or complete_qa step
    submitted_at: datetime | None = None
    answers: list = field(default_factory=list)  # (standard, answer, comment)
    sections: dict = field(default_factory=dict)
    standards: object = None
    questions: list = field(default_factory=list)
    scale: object = None
    review_level: object = None
    action_plan_level: object = None
    feedback_text: str = ""
    row: object = None


def delete_qa(case_ids) -> int:
    """Delete the central and independent QA of these (synthetic) cases, which refer to their
    versions, before the reviews go: the samples this command drew (with every assignment in
    them), any other sampling of these cases, and their rounds of central QA. Children first, one
    table at a time: the command checks each foreign key as its statement ends."""
    from qa.models import (
        IndependentAnswer,
        IndependentAssessment,
        IndependentSample,
        QAAnswer,
        QAAssessment,
        QASectionFeedback,
        SampleAssignment,
    )

    mark = SAMPLE_MARK.split(",", 1)[0]
    samples = list(
        IndependentSample.objects.filter(note__contains=mark).values_list("pk", flat=True)
    )
    assignments = list(
        SampleAssignment.objects.filter(Q(sample__in=samples) | Q(case__in=case_ids)).values_list(
            "pk", flat=True
        )
    )
    assessments = QAAssessment.objects.filter(case__in=case_ids)
    deleted = IndependentAnswer.objects.filter(assessment__assignment__in=assignments).delete()[0]
    deleted += IndependentAssessment.objects.filter(assignment__in=assignments).delete()[0]
    deleted += SampleAssignment.objects.filter(pk__in=assignments).delete()[0]
    deleted += IndependentSample.objects.filter(pk__in=samples).delete()[0]
    deleted += QAAnswer.objects.filter(assessment__in=assessments).delete()[0]
    deleted += QASectionFeedback.objects.filter(assessment__in=assessments).delete()[0]
    deleted += assessments.delete()[0]
    return deleted


class QAContent:
    """Writes the central QA rounds and the independent sample of the planned cases."""

    def __init__(self, *, seed: int, staff, reviews, today: date, now: datetime):
        self.seed, self.staff, self.reviews = seed, staff, reviews
        self.today, self.now = today, now
        self.profiles = {plan.case.crn: profile for plan, profile in reviews.queue}
        self.counts: Counter = Counter()
        self.ratings: dict[str, Counter] = {"review": Counter(), "action plan": Counter()}
        self.agreement: Counter = Counter()
        self.sample_line = ""
        self.scale_sizes: dict[int, int] = {}
        self.seconds = 0.0

    # --- Central QA ---------------------------------------------------------------------------

    def standards_on(self, day: date):
        """`reviews.standards.current_standards(day)`, from the sets the reviews loaded: the
        highest version published by then (else the first published)."""
        sets = self.reviews.standard_sets
        if not sets:
            return None
        in_force = [entry for entry in sets if entry[0] <= day]
        chosen = max(in_force, key=lambda entry: entry[1].version) if in_force else sets[0]
        return chosen[1], chosen[2]

    def scale_on(self, day: date):
        """The central scale in force on `day` (else the first), with its levels."""
        in_force = [s for s in self.central_scales if s.in_force_from <= day]
        return in_force[0] if in_force else self.central_scales[-1]

    def write(self, plans, batch: int) -> dict[str, int]:
        """Write the rounds of central QA and the independent sample of cases already written
        with their reviews and versions."""
        # Imported here, not at module level: see the module docstring.
        from qa.models import RatingScale, ScaleUse

        self.central_scales = list(
            RatingScale.objects.filter(use=ScaleUse.CENTRAL)
            .order_by("-in_force_from", "-pk")
            .prefetch_related("levels")
        )
        if not self.central_scales or not self.reviews.standard_sets:
            return {}
        started = time.perf_counter()
        rounds = self.plan_rounds(plans)
        written = self.write_rounds(rounds, batch)
        written.update(self.write_sample(rounds, batch))
        self.seconds = time.perf_counter() - started
        return written

    def plan_rounds(self, plans) -> list[Round]:
        from qa.models import AssessmentStatus, QAMode
        from qa.services import full_qa_reasons

        submitted = {
            plan.case.pk: plan
            for plan in plans
            if any(step.name == "countersign_and_submit" for step in plan.steps)
        }
        # The central version of each submitted review, with only its sections' statuses: one
        # pass over each snapshot (a path per section would read the whole snapshot each time).
        statuses = RawSQL(  # noqa: S611 - a constant statement, no parameters
            "SELECT coalesce(jsonb_object_agg(key, value -> 'status'), '{}'::jsonb) "
            "FROM jsonb_each(reviews_reviewversion.snapshot -> 'sections')",
            [],
            output_field=JSONField(),
        )
        versions = (
            ReviewVersion.objects.filter(
                review__case__in=list(submitted), purpose=VersionPurpose.CENTRAL
            )
            .annotate(statuses=statuses)
            .order_by("review__case", "number")
            .values("pk", "review__case", "statuses")
        )
        rounds = []
        for row in versions:
            plan = submitted[row["review__case"]]
            reached = {step.name: step for step in plan.steps}
            sections = {key: {"status": status} for key, status in row["statuses"].items()}
            frozen = ReviewVersion(snapshot={"sections": sections})
            feedback = reached.get("return_for_amendments") or reached.get("complete_qa")
            if feedback:
                status = AssessmentStatus.COMPLETED
            elif "take_for_qa" in reached:
                status = AssessmentStatus.DRAFT
            else:
                status = AssessmentStatus.WAITING
            item = Round(
                case=plan.case,
                rng=random.Random(f"central QA {plan.content_seed}"),  # noqa: S311
                profile=self.profiles.get(plan.case.crn),
                version_id=row["pk"],
                status=status,
                taken=reached.get("take_for_qa"),
                feedback=feedback,
                submitted_at=reached["countersign_and_submit"].at,
            )
            day = timezone.localtime((item.taken or reached["countersign_and_submit"]).at).date()
            item.reasons = full_qa_reasons(plan.case, frozen)
            returned = feedback is not None and feedback.name == "return_for_amendments"
            if returned and not item.reasons:
                item.marked_incomplete = True
            required = bool(item.reasons) or item.marked_incomplete
            full = required or day < TARGETED_QA_FROM
            item.mode = QAMode.FULL if full else QAMode.TARGETED
            if item.status == AssessmentStatus.COMPLETED:
                # The dataset writes one round a case: a case whose full QA the rules required
                # but whose feedback completed QA stands for the later round, after the
                # re-submission its first round required (`qa.services.resubmission_due`).
                item.resubmission_required = returned
                if item.marked_incomplete:
                    item.reasons = [*item.reasons, MARKED_INCOMPLETE]
            item.standards, item.questions = self.standards_on(day)
            item.scale = self.scale_on(day)
            rounds.append(item)
        for item in rounds:
            self.answer(item)
        self.rate([r for r in rounds if r.status == AssessmentStatus.COMPLETED])
        for item in rounds:
            self.write_feedback(item)
        return rounds

    def answer(self, item: Round) -> None:
        """Yes, partly or no to each question of the round's mode; a draft has answered the
        first few."""
        from qa.models import AssessmentStatus, QAMode

        if item.status == AssessmentStatus.WAITING:
            return
        rng, profile = item.rng, item.profile
        questions = [q for q in item.questions if item.mode == QAMode.FULL or q.targeted]
        if item.status == AssessmentStatus.DRAFT:
            questions = questions[: rng.randint(0, len(questions))]
        by_profile = {
            "clear judgement": "clear",
            "multi-agency": "multi_agency",
            "good practice": "good_practice",
            "organisational": "organisational",
        }
        for question in questions:
            word = keyword_of(question.question)
            if profile is not None and word in by_profile:
                ok = getattr(profile, by_profile[word])
            else:
                ok = rng.random() < YES_SHARES.get(word, 0.85)
            if ok:
                item.answers.append((question, Answer.YES, ""))
            else:
                answer = Answer.PARTLY if rng.random() < PARTLY_SHARE else Answer.NO
                item.answers.append((question, answer, rng.choice(ANSWER_COMMENTS)))

    def rate(self, completed: list[Round]) -> None:
        """Both ratings as quotas in the inspection's shares, worst to the rounds whose answers
        (with some noise) are weakest."""
        rng = random.Random(f"central QA ratings of the synthetic national dataset, {self.seed}")  # noqa: S311
        for scope, shares, attribute in (
            ("review", REVIEW_RATINGS, "review_level"),
            ("action_plan", ACTION_PLAN_RATINGS, "action_plan_level"),
        ):
            by_scale: dict[int, list[Round]] = {}
            for item in completed:
                by_scale.setdefault(item.scale.pk, []).append(item)
            for group in by_scale.values():
                levels = list(group[0].scale.levels.all())
                weights = self.level_weights(levels, shares)

                def score(item: Round, scope=scope) -> float:
                    answers = [a for q, a, _ in item.answers if q.scope == scope]
                    yes = sum(a == Answer.YES for a in answers) / len(answers) if answers else 0.5
                    return yes + rng.gauss(0, 0.25) - 0.3 * item.marked_incomplete

                ranked = sorted(group, key=lambda item: (score(item), item.case.crn))
                counts = quota_counts(len(ranked), weights)
                worst_first = sorted(levels, key=lambda level: -level.position)
                position = 0
                for level in worst_first:
                    for item in ranked[position : position + counts[level]]:
                        setattr(item, attribute, level)
                    position += counts[level]

    @staticmethod
    def level_weights(levels, shares: dict) -> dict:
        """The shares by level: by label where the scale has the inspection's labels, else by
        position, else equal."""
        labels = {level.label: level for level in levels}
        if set(labels) == set(shares):
            return {labels[label]: weight for label, weight in shares.items()}
        if len(levels) == len(shares):
            return {level: weight for level, weight in zip(levels, shares.values(), strict=True)}
        return {level: 1 for level in levels}

    def write_feedback(self, item: Round) -> None:
        """Overall feedback and a section or two of it: the weaknesses the answers found."""
        from qa.models import AssessmentStatus, QAMode

        if item.status == AssessmentStatus.WAITING:
            return
        rng = item.rng
        weak = [keyword_of(q.question) for q, answer, _ in item.answers if answer != Answer.YES]
        # Against a weak section of the narrative in a full QA; else the structured sections.
        picks = []
        if item.mode == QAMode.FULL:
            picks = [
                key
                for word, key in (
                    ("multi-agency", K.MULTI_AGENCY),
                    ("key risk of harm", K.KEY_RISK_FACTORS),
                    ("clear judgement", K.CONCLUSION),
                )
                if word in weak
            ]
        picks += rng.sample(sorted(STRUCTURED_SECTIONS), rng.randint(1, 2))
        count = 1 if item.status == AssessmentStatus.DRAFT else rng.randint(1, 2)
        chosen = list(dict.fromkeys(picks))[:count]
        best = item.review_level is not None and item.review_level.position == 1
        for key in sorted(chosen, key=SectionKey.values.index):  # in the order the review reads
            praise = SECTION_PRAISE.get(key) if best else None
            item.sections[key] = praise or rng.choice(SECTION_FEEDBACK[key])
        if item.status != AssessmentStatus.COMPLETED:
            return
        label = item.review_level.label if item.review_level else ""
        text = [rng.choice(OPENINGS.get(label, OPENINGS["Satisfactory"]))]
        text += [WEAKNESSES[word] for word in dict.fromkeys(weak) if word in WEAKNESSES][:2]
        closings = CLOSINGS_RETURNED if item.resubmission_required else CLOSINGS_COMPLETE
        text.append(rng.choice(closings))
        item.feedback_text = " ".join(text)

    def write_rounds(self, rounds: list[Round], batch: int) -> dict[str, int]:
        from qa.models import AssessmentStatus, QAAnswer, QAAssessment, QASectionFeedback

        rows = []
        for item in rounds:
            reviewer = item.taken.by if item.taken else None
            taken_at = item.taken.at if item.taken else None
            done = item.status == AssessmentStatus.COMPLETED
            # Last saved at the feedback; a draft when taken; a waiting round when submitted.
            last = item.feedback.at if done else (taken_at or item.submitted_at)
            item.row = QAAssessment(
                case_id=item.case.pk,
                round=1,
                version_id=item.version_id,
                status=item.status,
                qa_reviewer=reviewer,
                allocated_by=reviewer,
                allocated_at=taken_at,
                mode=item.mode,
                full_qa_reasons=item.reasons,
                standards=item.standards,
                scale=item.scale,
                review_rating=item.review_level,
                action_plan_rating=item.action_plan_level,
                feedback=item.feedback_text,
                marked_incomplete=item.marked_incomplete,
                resubmission_required=item.resubmission_required,
                edit_version=1 + len(item.answers) // 3 + done,
                started_at=taken_at,
                updated_at=last,
                completed_at=item.feedback.at if done else None,
                completed_by=reviewer if done else None,
            )
            rows.append(item.row)
        with given_times(QAAssessment):
            QAAssessment.objects.bulk_create(rows, batch_size=batch)
        answers = [
            QAAnswer(assessment_id=item.row.pk, standard=q, answer=a, comment=c)
            for item in rounds
            for q, a, c in item.answers
        ]
        QAAnswer.objects.bulk_create(answers, batch_size=batch)
        sections = [
            QASectionFeedback(assessment_id=item.row.pk, section=key, comment=comment)
            for item in rounds
            for key, comment in item.sections.items()
        ]
        QASectionFeedback.objects.bulk_create(sections, batch_size=batch)
        returned = {
            item.case.pk
            for item in rounds
            if item.case.state == S.RETURNED_FOR_AMENDMENTS and item.resubmission_required
        }
        Case.objects.filter(pk__in=returned).update(resubmission_required=True)
        for item in rounds:
            item.case.resubmission_required = item.case.pk in returned
            self.counts[item.status, item.mode] += 1
            for name, level in (
                ("review", item.review_level),
                ("action plan", item.action_plan_level),
            ):
                if level is not None:
                    self.ratings[name][level.position, level.label] += 1
        return {
            "QA assessments": len(rows),
            "QA answers": len(answers),
            "QA section feedback": len(sections),
        }

    # --- Independent QA -----------------------------------------------------------------------

    def assessors(self) -> list[User]:
        """The independent body's two assessors: the demo's, and a second found or made here."""
        body = Organisation.objects.get(
            code=INDEPENDENT_BODY, kind=OrganisationKind.INDEPENDENT_BODY
        )
        team, _ = Team.objects.get_or_create(organisation=body, name="Assessors")
        group = Group.objects.get(name=Role.INDEPENDENT_ASSESSOR.value)
        found = []
        for name, first, last in ASSESSORS:
            user = User.objects.filter(username=name).first()
            if user is None:
                user = User.objects.create(
                    username=name,
                    first_name=first,
                    last_name=last,
                    email=f"{name}@example.gov.uk",
                    organisation=body,
                    team=team,
                    job_title=Role.INDEPENDENT_ASSESSOR.label,
                    is_active=True,
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.set([group])
            found.append(user)
        return found

    def write_sample(self, rounds: list[Round], batch: int) -> dict[str, int]:
        """Draw the sample of the most recent full year of QA-complete reviews, and write the
        assessors' work on it."""
        from qa.models import (
            IndependentAnswer,
            IndependentAssessment,
            IndependentSample,
            IndependentStatus,
            ScaleMapping,
        )
        from qa.sampling import draw_sample

        complete = [
            item
            for item in rounds
            if item.feedback is not None and item.feedback.name == "complete_qa"
        ]
        years = {timezone.localtime(item.feedback.at).year for item in complete}
        years = [year for year in years if year < self.today.year]
        if not years:
            return {}
        year = max(years)
        sample = draw_sample(
            by=self.staff.central[Role.ADMINISTRATOR],
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            assessors=self.assessors(),
            proportion=SAMPLE_PROPORTION,
            seed=self.seed * 10_000 + year,
        )
        # Drawn early in the next year, as an administrator would, not at the moment of the load.
        rng = random.Random(f"independent QA of the synthetic national dataset, {self.seed}")  # noqa: S311
        drawn_on = min(date(year + 1, 1, 1) + timedelta(days=rng.randint(10, 40)), self.today)
        drawn_at = timezone.make_aware(datetime.combine(drawn_on, datetime.min.time())) + timedelta(
            hours=10
        )
        sample.note = f"{sample.note} {SAMPLE_MARK.format(seed=self.seed)}"
        IndependentSample.objects.filter(pk=sample.pk).update(note=sample.note, drawn_at=drawn_at)
        sample.assignments.update(sampled_on=drawn_on)
        assignments = list(
            sample.assignments.select_related(
                "case",
                "central_assessment__review_rating__scale",
                "central_assessment__action_plan_rating__scale",
            ).order_by("case__crn")
        )
        by_case = {item.case.pk: item for item in rounds}
        mappings = {
            m.independent_level_id: m.central_level
            for m in ScaleMapping.objects.filter(independent_level__scale=sample.scale)
        }
        levels = list(sample.scale.levels.all())
        questions = list(sample.standards.questions.all())
        flags = [True] * round(len(assignments) * SUBMITTED_SHARE)
        flags += [False] * (len(assignments) - len(flags))
        rng.shuffle(flags)
        submitted = [a for a, flag in zip(assignments, flags, strict=True) if flag]
        started = [a for a, flag in zip(assignments, flags, strict=True) if not flag]
        started = [a for a in started if rng.random() < DRAFT_SHARE]

        def central_of(assignment, attribute):
            central = assignment.central_assessment
            if central is None and assignment.case_id in by_case:
                return getattr(by_case[assignment.case_id], attribute.replace("rating", "level"))
            return getattr(central, attribute) if central else None

        ratings = {}
        for attribute, rate in (
            ("review_rating", REVIEW_AGREEMENT),
            ("action_plan_rating", ACTION_PLAN_AGREEMENT),
        ):
            central = [(a, central_of(a, attribute)) for a in submitted]
            agreeable = [a for a, level in central if self.counterparts(level, levels, mappings)]
            rng.shuffle(agreeable)
            agree = set(map(id, agreeable[: round(rate * len(central))]))
            for assignment, level in central:
                ratings[id(assignment), attribute] = self.independent_level(
                    rng, level, levels, mappings, agree=id(assignment) in agree
                )
                if level is not None:
                    mapped = mappings.get(ratings[id(assignment), attribute].pk)
                    self.agreement[attribute, mapped is not None and mapped.pk == level.pk] += 1

        rows, answers = [], []
        for assignment in [*submitted, *started]:
            done = assignment in submitted
            at = timezone.make_aware(
                datetime.combine(drawn_on + timedelta(days=rng.randint(3, 90)), datetime.min.time())
            ) + timedelta(minutes=rng.randint(9 * 60, 17 * 60))
            at = min(at, self.now)
            row = IndependentAssessment(
                assignment=assignment,
                status=IndependentStatus.SUBMITTED if done else IndependentStatus.DRAFT,
                review_rating=ratings.get((id(assignment), "review_rating")),
                action_plan_rating=ratings.get((id(assignment), "action_plan_rating")),
                comment=rng.choice(INDEPENDENT_COMMENTS) if done else "",
                edit_version=2 if done else 1,
                updated_at=at,
                submitted_at=at if done else None,
            )
            rows.append(row)
            rated = by_case.get(assignment.case_id)
            central = {q.question: a for q, a, _ in rated.answers} if rated else {}
            asked = questions if done else questions[: rng.randint(0, len(questions))]
            for question in asked:
                answer = central.get(question.question)
                if answer is None or rng.random() < 0.2:
                    word = keyword_of(question.question)
                    ok = rng.random() < YES_SHARES.get(word, 0.85)
                    answer = Answer.YES if ok else rng.choice([Answer.PARTLY, Answer.NO])
                comment = "" if answer == Answer.YES else rng.choice(ANSWER_COMMENTS)
                answers.append((row, question, answer, comment))
        with given_times(IndependentAssessment):
            IndependentAssessment.objects.bulk_create(rows, batch_size=batch)
        IndependentAnswer.objects.bulk_create(
            [
                IndependentAnswer(assessment_id=row.pk, standard=q, answer=a, comment=c)
                for row, q, a, c in answers
            ],
            batch_size=batch,
        )
        self.sample_line = (
            f"Independent sample of {year}: {len(assignments)} of {sample.population} "
            f"QA-complete reviews ({sample.proportion:.0%}), {len(submitted)} assessed, "
            f"{len(started)} in progress"
        )
        return {"independent assessments": len(rows), "independent answers": len(answers)}

    @staticmethod
    def counterparts(level, levels, mappings) -> list:
        """The independent levels that map onto this central level."""
        if level is None:
            return []
        return [i for i in levels if i.pk in mappings and mappings[i.pk].pk == level.pk]

    def independent_level(self, rng, central, levels, mappings, *, agree: bool):
        """An independent level that agrees with the central one through the mapping (the one of
        the same name more often), or the nearest one that does not."""
        if central is None:
            return rng.choice(levels)
        if agree:
            options = self.counterparts(central, levels, mappings)
            weights = [3 if i.label == central.label else 1 for i in options]
            return rng.choices(options, weights=weights)[0]
        if central.scale_id not in self.scale_sizes:
            self.scale_sizes[central.scale_id] = (
                type(central).objects.filter(scale_id=central.scale_id).count()
            )
        central_count = self.scale_sizes[central.scale_id]

        def place(position, count):
            return (position - 1) / (count - 1) if count > 1 else 0.0

        target = place(central.position, central_count)
        others = [
            i for i in levels if i not in self.counterparts(central, levels, mappings)
        ] or levels
        nearest = min(abs(place(i.position, len(levels)) - target) for i in others)
        options = [
            i for i in others if abs(place(i.position, len(levels)) - target) - nearest < 1e-9
        ]
        return rng.choice(options)

    # --- Summary ------------------------------------------------------------------------------

    def summary(self) -> list[str]:
        from qa.models import AssessmentStatus, QAMode

        if not self.counts:
            return []
        total = sum(self.counts.values())
        lines = [f"Central QA: {total} assessments (with the sample, {self.seconds:.1f} s)"]
        for status in AssessmentStatus:
            by_mode = [
                f"{self.counts[status.value, mode.value]} {mode.value}"
                for mode in QAMode
                if self.counts[status.value, mode.value]
            ]
            if by_mode:
                lines.append(f"  {status.label.lower():<16} " + ", ".join(by_mode))
        for name, counter in self.ratings.items():
            n = sum(counter.values())
            if n:
                lines.append(
                    f"  {name} ratings: "
                    + ", ".join(
                        f"{label} {100 * k / n:.0f}%" for (_, label), k in sorted(counter.items())
                    )
                )
        if self.sample_line:
            lines.append(self.sample_line)
            for attribute, name in (("review_rating", "reviews"), ("action_plan_rating", "plans")):
                yes, no = self.agreement[attribute, True], self.agreement[attribute, False]
                if yes + no:
                    lines.append(
                        f"  agreeing with the central rating on "
                        f"{100 * yes / (yes + no):.0f}% of {name}"
                    )
        return lines
