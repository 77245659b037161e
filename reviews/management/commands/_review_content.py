"""The reviews of the synthetic national dataset: for every case that has reached review in
progress, its review with every section, its chronology, key findings, action plan, the versions
frozen when it was sent for local QA and submitted, and the local QA check that passed it.

The shares come from the inspection's reading of 46 reviews (DOMAIN.md, "The questions QA asks"),
drawn as quotas over the reviewed cases: good practice identified in 57%; multi-agency working
sufficiently addressed in 39% (the others get a thin section, under the coach's 150 words); a
clear judgement in 78% (the others hedge in the conclusion, although the judgement itself is
recorded, as `send_for_local_qa` requires it); organisational (not only individual) actions in
70% of plans; 6% of actions for an external agency, which each name. Two shares the inspection
does not give are assumptions, named here: 45% of reviews find that not all reasonable steps were
taken, and 40% of chronologies are weighted to the years before the review period ("reviews drown
in history"). Chronologies average about 50 entries (one provider's chronologies averaged 60
pages): a lognormal clipped to 5-600 entries, so that a few are as long as the longest the
editor must handle. Reviews vary in length with a per-review verbosity; the long ones retell the
chronology (the "what", not the "why"), as the inspection found.

Everything is decided in memory from the case's own seed (`Plan.content_seed`) and the quotas'
seed, then written with `bulk_create`. Version snapshots are made by `reviews.authoring.snapshot`
itself, over the in-memory rows handed to it as if prefetched, so that their shape cannot drift
from what `store_version` freezes."""

import copy
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pgtrigger
from django.db import reset_queries
from django.db.models import QuerySet
from django.utils import timezone

from reviews.authoring import snapshot
from reviews.management.commands import _review_phrases as phrases
from reviews.models import (
    ActionLevel,
    ActionStatus,
    Answer,
    ChronologyEntry,
    Finding,
    FindingKind,
    Gender,
    Judgement,
    LocalQAAnswer,
    LocalQACheck,
    LocalQAOutcome,
    MappaCategory,
    Review,
    ReviewAction,
    ReviewSection,
    ReviewVersion,
    SectionKey,
    SectionStatus,
    StandardSet,
    SupervisionType,
    VersionPurpose,
)
from sfo.people.roles import Role

K = SectionKey

CHUNK = 200  # reviews drafted and written at a time
# Shares over the reviewed cases (see the module docstring).
GOOD_PRACTICE_SHARE = 0.57
MULTI_AGENCY_SUFFICIENT_SHARE = 0.39
CLEAR_JUDGEMENT_SHARE = 0.78
ORGANISATIONAL_SHARE = 0.70
NOT_ALL_STEPS_SHARE = 0.45  # an assumption: the inspection does not give it
HISTORY_HEAVY_SHARE = 0.40  # an assumption: "reviews drown in history"
# Levels of the actions of a plan with organisational actions. External actions are 6% of all
# actions, so 6 / 70 of these; individual actions still the largest share, as the inspection found.
ORGANISATIONAL_PLAN_LEVELS = {
    ActionLevel.INDIVIDUAL: 46,
    ActionLevel.TEAM: 28,
    ActionLevel.ORGANISATION: 14.4,
    ActionLevel.NATIONAL: 3,
    ActionLevel.EXTERNAL: 8.6,
}
# Chronology length: lognormal with a mean of about 50 once clipped to [5, 600].
CHRONOLOGY_SIGMA = 0.95
CHRONOLOGY_MU = math.log(50) - CHRONOLOGY_SIGMA**2 / 2
CHRONOLOGY_MIN, CHRONOLOGY_MAX = 5, 600
SIGNIFICANT_SHARE = (0.15, 0.25)  # of the period's entries; ~24% overall
FINDING_COUNTS = {2: 10, 3: 18, 4: 22, 5: 18, 6: 14, 7: 10, 8: 8}
ACTION_COUNTS = {3: 8, 4: 13, 5: 15, 6: 15, 7: 13, 8: 10, 9: 8, 10: 7, 11: 6, 12: 5}
# The kinds of the findings that are not good practice, by judgement.
FINDING_KINDS = {
    Judgement.NO: {
        FindingKind.PRACTICE_FAILING: 45,
        FindingKind.MISSED_OPPORTUNITY: 35,
        FindingKind.SYSTEMIC_FACTOR: 20,
    },
    Judgement.YES: {
        FindingKind.PRACTICE_FAILING: 25,
        FindingKind.MISSED_OPPORTUNITY: 20,
        FindingKind.SYSTEMIC_FACTOR: 55,
    },
}
# The order a reviewer works through the task list: a draft has finished the first sections.
WORK_ORDER = [
    K.METHODOLOGY,
    K.CHRONOLOGY,
    K.SUMMARY_OF_EVENTS,
    K.ASSESSMENT,
    K.PLANNING,
    K.IMPLEMENTATION,
    K.REVIEWING,
    K.KEY_RISK_FACTORS,
    K.RISK_MANAGEMENT_PLAN,
    K.MULTI_AGENCY,
    K.SYSTEMIC_FACTORS,
    K.KEY_FINDINGS,
    K.GOOD_PRACTICE,
    K.ACTION_PLAN,
    K.AREAS_FOR_IMPROVEMENT,
    K.CONCLUSION,
    K.NEXT_STEPS,
]
# Paragraphs of each analysis section at a verbosity of 1.
ANALYSIS_PARAGRAPHS = {
    K.ASSESSMENT: 3,
    K.PLANNING: 2,
    K.IMPLEMENTATION: 3,
    K.REVIEWING: 2,
    K.KEY_RISK_FACTORS: 2,
    K.RISK_MANAGEMENT_PLAN: 2,
    K.SYSTEMIC_FACTORS: 2,
}
# The fewest words of a multi-agency section that addresses it sufficiently (the coach's default
# threshold is 150).
SUFFICIENT_MULTI_AGENCY_WORDS = 200
# The median length of a review's narrative, in words, before its verbosity: about 9 pages; the
# long tail passes the coach's 9,000-word target (reviews averaged 30 pages at one provider).
REVIEW_WORDS = 4500
# Supervision that began with a release from custody.
RELEASES = frozenset({SupervisionType.LICENCE, SupervisionType.IPP, SupervisionType.LIFE_LICENCE})
# The analysis section that retells a chronology entry, by its source.
RETOLD_IN = {
    "oasys": K.ASSESSMENT,
    "prison": K.PLANNING,
    "court": K.PLANNING,
    "case_record": K.IMPLEMENTATION,
    "interview": K.IMPLEMENTATION,
    "other": K.IMPLEMENTATION,
    "housing": K.RISK_MANAGEMENT_PLAN,
    "health": K.KEY_RISK_FACTORS,
    "police": K.MULTI_AGENCY,
    "mappa": K.MULTI_AGENCY,
    "childrens_services": K.MULTI_AGENCY,
    "mental_health": K.MULTI_AGENCY,
    "adult_social_care": K.MULTI_AGENCY,
}
SUPERVISIONS = {
    SupervisionType.LICENCE: ("licence", "a licence"),
    SupervisionType.COMMUNITY_ORDER: ("community order", "a community order"),
    SupervisionType.SUSPENDED_SENTENCE: ("suspended sentence order", "a suspended sentence order"),
    SupervisionType.IPP: ("IPP licence", "an IPP licence"),
    SupervisionType.LIFE_LICENCE: ("life licence", "a life licence"),
}
# Local QA answers to the standards, by a word of the question: the share answered yes when the
# review has no known weakness there (the inspection's percentages).
QA_YES = {
    "areas for assessment": 0.87,
    "key risk of harm": 0.67,
    "risk management plan": 0.70,
    "implementation": 0.93,
    "answer the key findings": 0.85,
}


def flags(rng: random.Random, n: int, share: float) -> list[bool]:
    """n booleans, round(n * share) of them true, in a random order: the exact share however
    few reviews there are."""
    count = round(n * share)
    values = [True] * count + [False] * (n - count)
    rng.shuffle(values)
    return values


def day_text(day: date) -> str:
    return f"{day:%-d %B %Y}"


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def prefetched(model, rows: list) -> QuerySet:
    """A queryset that already holds `rows`, as `prefetch_related` leaves it."""
    queryset = model.objects.none()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def snapshot_of(review: Review, sections, findings, entries, actions) -> dict:
    """`authoring.snapshot(review)` over rows held in memory, in the order the database gives
    (each model's `Meta.ordering`), without a query."""
    review._prefetched_objects_cache = {
        "sections": prefetched(ReviewSection, list(sections)),
        "findings": prefetched(Finding, sorted(findings, key=lambda f: (f.position, f.pk))),
        "chronology": prefetched(
            ChronologyEntry, sorted(entries, key=lambda e: (e.occurred_on, e.pk))
        ),
        "actions": prefetched(ReviewAction, sorted(actions, key=lambda a: (a.due_on, a.pk))),
    }
    try:
        return snapshot(review)
    finally:
        del review._prefetched_objects_cache


@dataclass
class Profile:
    """What kind of review this is, decided by the quotas."""

    judgement: str
    clear: bool
    good_practice: bool
    multi_agency: bool
    organisational: bool
    history_heavy: bool


@dataclass
class Draft:
    """One case's review, ready to write."""

    review: Review
    sections: list[ReviewSection]
    findings: list[Finding]
    entries: list[ChronologyEntry]
    actions: list[ReviewAction]
    # (purpose, by, at) of each version, in order; the check: (by, at, standards, answers, comment)
    versions: list[tuple] = field(default_factory=list)
    check: tuple | None = None


class ReviewContent:
    """Writes the reviews of the planned cases (see the module docstring)."""

    def __init__(self, *, seed: int, staff, today: date):
        self.seed, self.staff, self.today = seed, staff, today
        self.midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
        self.standard_sets = [
            (standards.published_on, standards, list(standards.questions.all()))
            for standards in StandardSet.objects.filter(published_on__isnull=False)
            .order_by("published_on", "version")
            .prefetch_related("questions")
        ]
        self.counts: Counter = Counter()
        self.lengths: list[int] = []

    # --- Deciding ------------------------------------------------------------------------------

    def plan(self, plans) -> int:
        """Give each case a reviewer was allocated to its profile, by the quotas; the reviews
        themselves are drafted as they are written, a chunk at a time, to keep memory flat."""
        reviewed = [plan for plan in plans if any(s.name == "allocate" for s in plan.steps)]
        rng = random.Random(f"reviews of the synthetic national dataset, seed {self.seed}")  # noqa: S311
        n = len(reviewed)
        profiles = zip(
            flags(rng, n, NOT_ALL_STEPS_SHARE),
            flags(rng, n, CLEAR_JUDGEMENT_SHARE),
            flags(rng, n, GOOD_PRACTICE_SHARE),
            flags(rng, n, MULTI_AGENCY_SUFFICIENT_SHARE),
            flags(rng, n, ORGANISATIONAL_SHARE),
            flags(rng, n, HISTORY_HEAVY_SHARE),
            strict=True,
        )
        self.queue = [
            (plan, Profile(Judgement.NO if no else Judgement.YES, *rest))
            for plan, (no, *rest) in zip(reviewed, profiles, strict=True)
        ]
        return n

    def write(self, batch: int) -> dict[str, int]:
        """Draft and write the reviews of cases already written, CHUNK reviews at a time."""
        written: Counter = Counter()
        for start in range(0, len(self.queue), CHUNK):
            drafts = [
                CaseReview(self, plan, profile).draft()
                for plan, profile in self.queue[start : start + CHUNK]
            ]
            written.update(self.write_drafts(drafts, batch))
            reset_queries()  # with DEBUG on, the log of these inserts would hold every text
        return dict(written)

    def standards_on(self, day: date):
        """The QA standards in force on `day`: the latest published by then (else the first)."""
        if not self.standard_sets:
            return None
        chosen = self.standard_sets[0]
        for entry in self.standard_sets:
            if entry[0] <= day:
                chosen = entry
        return chosen[1], chosen[2]

    # --- Writing -------------------------------------------------------------------------------

    def write_drafts(self, drafts: list[Draft], batch: int) -> dict[str, int]:
        """Write drafts of cases already written: every row in batches, no query per row."""
        for draft in drafts:
            draft.review.case_id = draft.review.case.pk
        Review.objects.bulk_create([d.review for d in drafts], batch_size=batch)
        sections, findings = [], []
        for draft in drafts:
            for row in (*draft.sections, *draft.findings):
                row.review_id = draft.review.pk
            sections += draft.sections
            findings += draft.findings
        ReviewSection.objects.bulk_create(sections, batch_size=batch)
        Finding.objects.bulk_create(findings, batch_size=batch)
        entries, actions = [], []
        for draft in drafts:
            for row in (*draft.entries, *draft.actions):
                row.review_id = draft.review.pk
                row.finding_id = row.finding.pk if row.finding is not None else None
            entries += draft.entries
            actions += draft.actions
        ChronologyEntry.objects.bulk_create(entries, batch_size=batch)
        ReviewAction.objects.bulk_create(actions, batch_size=batch)

        versions, checks = [], []
        for draft in drafts:
            if not draft.versions:
                continue
            # The plan as it was sent: every action still open (actions move after submission).
            sent_actions = [copy.copy(action) for action in draft.actions]
            for sent in sent_actions:
                sent.status = ActionStatus.OPEN
            frozen = snapshot_of(
                draft.review, draft.sections, draft.findings, draft.entries, sent_actions
            )
            for number, (purpose, by, at) in enumerate(draft.versions, start=1):
                versions.append(
                    ReviewVersion(
                        review_id=draft.review.pk,
                        number=number,
                        purpose=purpose,
                        snapshot=frozen,
                        created_by=by,
                        created_at=at,
                    )
                )
                if purpose == VersionPurpose.LOCAL_QA and draft.check is not None:
                    checks.append((versions[-1], draft.check))
        ReviewVersion.objects.bulk_create(versions, batch_size=200)
        check_rows, answers = [], []
        for version, (by, at, standards, answered, comment) in checks:
            row = LocalQACheck(
                version_id=version.pk,
                standards=standards,
                outcome=LocalQAOutcome.PASSED,
                comment=comment,
                by=by,
                at=at,
            )
            check_rows.append(row)
            answers += [(row, standard, answer, note) for standard, answer, note in answered]
        LocalQACheck.objects.bulk_create(check_rows, batch_size=batch)
        LocalQAAnswer.objects.bulk_create(
            [
                LocalQAAnswer(check_of_id=row.pk, standard=standard, answer=answer, comment=note)
                for row, standard, answer, note in answers
            ],
            batch_size=batch,
        )
        self.tally(drafts)
        return {
            "reviews": len(drafts),
            "review sections": len(sections),
            "chronology entries": len(entries),
            "findings": len(findings),
            "actions": len(actions),
            "review versions": len(versions),
            "local QA checks": len(check_rows),
        }

    def tally(self, drafts: list[Draft]) -> None:
        """Count, over the reviews sent for local QA, what the inspection measured."""
        for draft in drafts:
            if not draft.versions:
                continue
            self.lengths.append(len(draft.entries))
            texts = {s.key: s.text for s in draft.sections}
            self.counts["sent"] += 1
            self.counts["good practice"] += any(
                f.kind == FindingKind.GOOD_PRACTICE for f in draft.findings
            )
            self.counts["thin multi-agency"] += len(texts[K.MULTI_AGENCY].split()) < 150
            self.counts["organisational"] += any(
                a.level != ActionLevel.INDIVIDUAL for a in draft.actions
            )
            self.counts["actions"] += len(draft.actions)
            self.counts["external"] += sum(a.level == ActionLevel.EXTERNAL for a in draft.actions)
            self.counts["long"] += sum(len(t.split()) for t in texts.values()) > 9000

    def summary(self) -> list[str]:
        counts, lengths = self.counts, self.lengths
        if not counts["sent"]:
            return []

        def share(count: int, of: int) -> str:
            return f"{100 * count / of:.0f}%" if of else "n/a"

        sent = counts["sent"]
        return [
            f"Reviews sent for local QA: {sent}; chronologies of {sum(lengths) / sent:.0f} "
            f"entries on average (median {sorted(lengths)[sent // 2]}, longest {max(lengths)})",
            f"  good practice identified in {share(counts['good practice'], sent)}, "
            f"multi-agency section under 150 words in {share(counts['thin multi-agency'], sent)}, "
            f"over 9,000 words in {share(counts['long'], sent)}",
            f"  organisational actions in {share(counts['organisational'], sent)} of the plans, "
            f"external agencies in {share(counts['external'], counts['actions'])} of the actions",
        ]


def delete_reviews(case_ids) -> int:
    """Delete the reviews of these (synthetic) cases, versions included, which nothing else may
    delete: their trigger is lifted for this statement only. Rows are loaded (as deletion must,
    for what refers to them) by their keys alone, not with their texts and snapshots."""
    reviews = Review.objects.filter(case__in=case_ids)
    versions = ReviewVersion.objects.filter(review__in=reviews)
    deleted = LocalQACheck.objects.filter(version__in=versions).only("pk").delete()[0]
    with pgtrigger.ignore("reviews.ReviewVersion:review_version_undeletable"):
        deleted += versions.only("pk").delete()[0]
    # Children first, so that deleting the findings has no references to set to null.
    deleted += ChronologyEntry.objects.filter(review__in=reviews).delete()[0]
    deleted += ReviewAction.objects.filter(review__in=reviews).delete()[0]
    deleted += Finding.objects.filter(review__in=reviews).only("pk").delete()[0]
    deleted += reviews.only("pk").delete()[0]
    return deleted


class CaseReview:
    """The review of one case: its facts, its profile and its own random stream."""

    def __init__(self, content: ReviewContent, plan, profile: Profile):
        self.content, self.plan, self.profile = content, plan, profile
        self.case = plan.case
        self.rng = random.Random(plan.content_seed)  # noqa: S311
        self.reached = {step.name: step for step in plan.steps}
        self.org = self.case.reviewing_provider or self.case.managing_provider
        rng, case = self.rng, self.case
        self.review_period_start = case.offence_date - timedelta(days=rng.randint(365, 730))
        self.verbosity = math.exp(rng.gauss(0, 0.55))
        self.ctx = self.context()
        # Words that cannot describe this case: no release without custody, no MAPPA meeting
        # for a case outside MAPPA, no IOM officer outside the scheme.
        self.unfit = (
            []
            if case.supervision_type in RELEASES
            else ["release", "licence", "recall", "approved premises", "prison", "custody"]
        )
        if case.mappa_category in ("", MappaCategory.NONE):
            self.unfit += ["mappa", "level 2"]
        if not case.iom:
            self.unfit += ["iom ", "integrated offender"]
        self.themes = self.choose_themes()
        self.used: set[str] = set()

    # --- Facts ---------------------------------------------------------------------------------

    def context(self) -> dict[str, str]:
        case, rng = self.case, self.rng
        last = case.person_name.rpartition(" ")[2]
        pronouns = {
            Gender.MALE: ("Mr", "he", "his", "him"),
            Gender.FEMALE: ("Ms", "she", "her", "her"),
        }.get(case.gender)
        if pronouns:
            name = f"{pronouns[0]} {last}"
            he, his, him = pronouns[1:]
        else:
            name, he, his, him = case.person_name, "they", "their", "them"
        if case.mappa_category in ("", MappaCategory.NONE):
            mappa = "not eligible for MAPPA management"
        elif case.mappa_level:
            mappa = (
                f"managed under MAPPA category {case.mappa_category} at level {case.mappa_level}"
            )
        else:
            mappa = f"eligible for MAPPA category {case.mappa_category} management"
        supervision, a_supervision = SUPERVISIONS.get(
            case.supervision_type, ("supervision", "supervision")
        )
        title = self.plan.charge.offence.title
        team = case.managing_team.name.lower() if case.managing_team else "the probation team"
        age = (case.offence_date - case.date_of_birth).days // 365 if case.date_of_birth else 30
        self.age = age
        return {
            "name": name,
            "he_she": he,
            "his": his,
            "him": him,
            "His": his.capitalize(),
            "offence": title[0].lower() + title[1:],
            "rosh": (case.rosh_at_offence or "medium").replace("_", " "),
            "police": case.police_force or "the police",
            "court": case.court or "the magistrates' court",
            "provider": case.managing_provider.name,
            "reviewing": self.org.name,
            "team": team if team.startswith("the ") else f"the {team} team",
            "supervision": supervision,
            "a_supervision": a_supervision,
            "rps": day_text(self.review_period_start),
            "offence_day": day_text(case.offence_date),
            "charge_day": day_text(case.charge_date or case.offence_date),
            "hearing_day": day_text(case.first_hearing_date),
            "supervision_day": day_text(case.supervision_start),
            "mappa": mappa,
            "prison": rng.choice(phrases.PRISONS),
            "age": str(age),
        }

    def say(self, template: str) -> str:
        return template.format_map(self.ctx)

    def fits(self, text: str) -> bool:
        lowered = text.lower()
        return not any(word in lowered for word in self.unfit)

    def fitting(self, options: list) -> list:
        """The options that fit the case (each a text, or a tuple of texts); all of them if none
        does, rather than nothing."""
        fit = [o for o in options if self.fits(o if isinstance(o, str) else " ".join(o))]
        return fit or list(options)

    def choose_themes(self) -> list[str]:
        case = self.case
        facts = {
            "violent": self.plan.category == "violent",
            "licence": case.supervision_type
            in (SupervisionType.LICENCE, SupervisionType.IPP, SupervisionType.LIFE_LICENCE),
            "mappa": case.mappa_category not in ("", MappaCategory.NONE),
            "young": self.age < 26,
        }
        weights = {}
        for key, theme in phrases.THEMES.items():
            if theme.needs and not facts[theme.needs]:
                continue
            weight = theme.weight
            for fact, factor in theme.favours.items():
                weight *= factor if facts[fact] else 1
            weights[key] = weight
        count = self.rng.randint(2, 5)
        chosen = []
        while len(chosen) < count and weights:
            key = self.rng.choices(list(weights), weights=list(weights.values()))[0]
            chosen.append(key)
            del weights[key]
        return chosen

    # --- The draft ---------------------------------------------------------------------------

    def draft(self) -> Draft:
        rng, reached = self.rng, self.reached
        allocated = reached["allocate"].at
        sent = reached.get("send_to_local_qa")
        # A draft was last written before today began: the same seed gives the same draft all day.
        written_by = sent.at if sent else max(allocated, self.content.midnight)
        created = allocated + (written_by - allocated) * (0.05 * rng.random())
        statuses = self.section_statuses()
        profile = self.profile

        findings = self.findings() if statuses[K.KEY_FINDINGS] != SectionStatus.NOT_STARTED else []
        if statuses[K.KEY_FINDINGS] == SectionStatus.IN_PROGRESS:
            findings = findings[: max(1, len(findings) // 2)]
        entries = self.chronology(statuses[K.CHRONOLOGY], findings)
        actions = []
        if statuses[K.ACTION_PLAN] != SectionStatus.NOT_STARTED:
            actions = self.action_plan(findings)
            if statuses[K.ACTION_PLAN] == SectionStatus.IN_PROGRESS:
                actions = actions[: max(1, len(actions) // 2)]

        judgement, reasons = "", ""
        conclusion = statuses[K.CONCLUSION]
        if conclusion == SectionStatus.COMPLETED or (
            conclusion == SectionStatus.IN_PROGRESS and rng.random() < 0.5
        ):
            judgement = profile.judgement
            picked = rng.sample(phrases.REASONS[judgement], rng.randint(2, 3))
            named = [f.title for f in findings if f.kind != FindingKind.GOOD_PRACTICE][:2]
            if named and judgement == Judgement.NO:
                picked.append("In particular: " + "; ".join(t[0].lower() + t[1:] for t in named))
            reasons = " ".join(self.say(s).rstrip(".") + "." for s in picked)

        texts = self.narrative(entries, findings, actions, judgement)
        sections = []
        for key in SectionKey:
            status = statuses[key]
            text = texts.get(key, [])
            if status == SectionStatus.NOT_STARTED:
                text = []
            elif status == SectionStatus.IN_PROGRESS:
                text = text[: max(1, math.ceil(len(text) / 2))]
            started = status != SectionStatus.NOT_STARTED
            sections.append(
                ReviewSection(
                    key=key,
                    text="\n\n".join(text),
                    status=status,
                    version=1 + (rng.randint(1, 8) if started else 0),
                    updated_by=self.case.reviewer if started else None,
                    updated_at=between(rng, created, written_by) if started else created,
                )
            )
        for entry in entries:
            entry.created_at = between(rng, created, written_by)

        review = Review(
            case=self.case,
            review_period_start=self.review_period_start,
            all_reasonable_steps=judgement,
            judgement_reasons=reasons,
            created_at=created,
            updated_at=max([created, *(s.updated_at for s in sections)]),
        )
        draft = Draft(review, sections, findings, entries, actions)
        if sent:
            draft.versions.append((VersionPurpose.LOCAL_QA, sent.by, sent.at))
        if "countersign_and_submit" in reached:
            step = reached["countersign_and_submit"]
            draft.versions.append((VersionPurpose.CENTRAL, step.by, step.at))
        if "pass_local_qa" in reached:
            step = reached["pass_local_qa"]
            standards = self.content.standards_on(timezone.localtime(step.at).date())
            if standards is not None:
                answered = self.qa_answers(standards[1], findings, actions, texts)
                comment = rng.choice(phrases.QA_OVERALL)
                draft.check = (step.by, step.at, standards[0], answered, comment)
        return draft

    def section_statuses(self) -> dict[str, str]:
        """Completed once the review has gone to local QA; before, the sections done so far in
        the order reviewers work, by how far the draft is towards its planned local QA day."""
        if "send_to_local_qa" in self.reached:
            return {key: SectionStatus.COMPLETED for key in SectionKey}
        days = self.plan.days
        span = max(1, (days["send_to_local_qa"] - days["allocate"]).days)
        progress = (self.content.today - days["allocate"]).days / span
        progress = min(0.97, max(0.0, progress + self.rng.uniform(-0.1, 0.1)))
        statuses = {}
        for index, key in enumerate(WORK_ORDER):
            place = index / len(WORK_ORDER)
            if place < progress - 0.15:
                statuses[key] = SectionStatus.COMPLETED
            elif place < progress + 0.05:
                statuses[key] = SectionStatus.IN_PROGRESS
            else:
                statuses[key] = SectionStatus.NOT_STARTED
        return statuses

    # --- Key findings ------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        rng, profile = self.rng, self.profile
        total = rng.choices(list(FINDING_COUNTS), weights=list(FINDING_COUNTS.values()))[0]
        good = (1 if rng.random() < 0.8 else 2) if profile.good_practice else 0
        rows, taken = [], set()
        kinds = FINDING_KINDS[profile.judgement]
        attempts = 0
        while len(rows) < total - good and attempts < 60:
            attempts += 1
            key = self.themes[len(rows) % len(self.themes)] if attempts <= 20 else None
            key = key or rng.choice(list(phrases.THEMES))
            theme = phrases.THEMES[key]
            options = {
                k: w
                for k, w in kinds.items()
                if k in theme.findings and self.fits(theme.findings[k])
            }
            if not options:
                continue
            kind = rng.choices(list(options), weights=list(options.values()))[0]
            if (key, kind) in taken:
                continue
            taken.add((key, kind))
            pool = self.fitting(theme.analysis)
            analysis = rng.sample(pool, min(len(pool), rng.randint(2, 3)))
            finding = Finding(
                title=self.say(theme.findings[kind]),
                analysis=" ".join(self.say(s) for s in analysis),
                kind=kind,
            )
            finding.theme = key
            rows.append(finding)
        pool = self.fitting(phrases.GOOD_PRACTICE)
        for title, analysis in rng.sample(pool, min(good, len(pool))):
            dissemination = rng.choices(["local", "national", ""], weights=[70, 10, 20])[0]
            finding = Finding(
                title=title,
                analysis=self.say(analysis),
                kind=FindingKind.GOOD_PRACTICE,
                dissemination=dissemination,
            )
            finding.theme = None
            rows.append(finding)
        for position, finding in enumerate(rows, start=1):
            finding.position = position
            finding.version = 1 + rng.randint(0, 3)
        return rows

    # --- The chronology ----------------------------------------------------------------------

    def entry_count(self) -> int:
        count = round(self.rng.lognormvariate(CHRONOLOGY_MU, CHRONOLOGY_SIGMA))
        return min(CHRONOLOGY_MAX, max(CHRONOLOGY_MIN, count))

    def chronology(self, status: str, findings: list[Finding]) -> list[ChronologyEntry]:
        rng, case, ctx = self.rng, self.case, self.ctx
        total = self.entry_count()  # drawn for every review, so that later draws do not shift
        if status == SectionStatus.NOT_STARTED:
            return []
        if status == SectionStatus.IN_PROGRESS:
            total = max(CHRONOLOGY_MIN, round(total * rng.uniform(0.3, 0.9)))
        share = rng.uniform(0.5, 0.8) if self.profile.history_heavy else rng.uniform(0.05, 0.4)
        before = round((total - 2) * share)
        significant = rng.uniform(*SIGNIFICANT_SHARE)
        period_start = self.review_period_start
        offence = case.offence_date
        earliest_possible = (case.date_of_birth or offence - timedelta(days=365 * 30)) + timedelta(
            days=365 * 15
        )
        history_start = max(
            earliest_possible, period_start - timedelta(days=rng.randint(2 * 365, 10 * 365))
        )
        history_start = min(history_start, period_start - timedelta(days=30))
        supervision_start = max(case.supervision_start, period_start)
        rows: list[tuple] = []  # (day, source, event, significant, issue, theme)

        for _ in range(before):
            day = history_start + timedelta(
                days=rng.randint(0, max(0, (period_start - history_start).days - 1))
            )
            source, event, notable, issue = rng.choice(phrases.HISTORY_EVENTS)
            notable = notable and rng.random() < 0.5  # not every old conviction is marked
            rows.append((day, source, event, notable, issue if notable else "", None))

        released = case.supervision_type in RELEASES
        weights = dict(phrases.ROUTINE_SOURCE_WEIGHTS)
        weights["prison"] = 0  # under supervision in the community
        if released:
            weights["court"] = 0
        sources, source_weights = list(weights), list(weights.values())
        before_supervision = ["prison", "prison", "oasys", "case_record"]
        if not released:
            before_supervision = ["court", "police", "case_record", "case_record"]
        in_period = total - 2 - before
        if period_start <= case.supervision_start < offence and in_period > 0:
            # The supervision's first entry: the release, or the sentence.
            source, event = phrases.SUPERVISION_STARTS[released]
            rows.append((case.supervision_start, source, event, False, "", None))
            in_period -= 1
        # Significant events of the review's themes, each told once before any is told again.
        unused = [
            (key, index)
            for key in self.themes
            for index, (_, event) in enumerate(phrases.THEMES[key].events)
            if self.fits(event)
        ]
        notable = [i for i, (_, e) in enumerate(phrases.NOTABLE_EVENTS) if self.fits(e)]
        rng.shuffle(unused)
        for _ in range(in_period):
            start = supervision_start if rng.random() < 0.75 else period_start
            day = start + timedelta(days=rng.randint(0, max(0, (offence - start).days - 1)))
            if rng.random() < significant:
                if unused and rng.random() < 0.8:
                    key, index = unused.pop()
                elif rng.random() < 0.6:
                    key, index = None, rng.choice(notable)
                else:
                    key = rng.choice(self.themes)
                    events = phrases.THEMES[key].events
                    index = rng.choice(
                        [i for i, (_, e) in enumerate(events) if self.fits(e)] or [0]
                    )
                if key is None:
                    source, event = phrases.NOTABLE_EVENTS[index]
                    issue = rng.choice(phrases.NOTABLE_ISSUES)
                else:
                    source, event = phrases.THEMES[key].events[index]
                    issue = phrases.THEMES[key].issues[index]
                rows.append((day, source, event, True, issue, key))
            else:
                if day < case.supervision_start:
                    source = rng.choice(before_supervision)
                else:
                    source = rng.choices(sources, weights=source_weights)[0]
                event = rng.choice(self.fitting(phrases.ROUTINE_EVENTS[source]))
                rows.append((day, source, event, False, "", None))
        charged = case.charge_date or offence
        for day, (source, event, issue) in zip((offence, charged), phrases.SFO_EVENTS, strict=True):
            rows.append((day, source, event, True, issue, None))
        rows.sort(key=lambda row: row[0])

        entries = []
        for day, source, event, notable, issue, key in rows:
            entry = ChronologyEntry(
                occurred_on=day,
                source=source,
                event=event.format_map(ctx),
                significant=notable,
                emerging_issue=issue.format_map(ctx),
                version=1 if rng.random() < 0.9 else 2,
            )
            entry.theme = key
            entries.append(entry)
        self.link(entries, findings)
        return entries

    def link(self, entries: list[ChronologyEntry], findings: list[Finding]) -> None:
        """Point some significant entries at the findings they support: up to four each, of the
        finding's theme where there are any; good practice at a routine entry of the period."""
        rng = self.rng
        for finding in findings:
            if finding.kind == FindingKind.GOOD_PRACTICE:
                candidates = [
                    e
                    for e in entries
                    if not e.significant and e.occurred_on >= self.review_period_start
                ]
                wanted = 1 if rng.random() < 0.6 else 0
            else:
                candidates = [e for e in entries if e.significant and e.theme == finding.theme]
                candidates = candidates or [e for e in entries if e.significant]
                wanted = rng.randint(1, 4)
            candidates = [e for e in candidates if e.finding is None]
            for entry in rng.sample(candidates, min(wanted, len(candidates))):
                entry.finding = finding

    # --- The action plan ---------------------------------------------------------------------

    def action_plan(self, findings: list[Finding]) -> list[ReviewAction]:
        rng, profile, reached = self.rng, self.profile, self.reached
        count = rng.choices(list(ACTION_COUNTS), weights=list(ACTION_COUNTS.values()))[0]
        if profile.organisational:
            levels = rng.choices(
                list(ORGANISATIONAL_PLAN_LEVELS),
                weights=list(ORGANISATIONAL_PLAN_LEVELS.values()),
                k=count,
            )
            if all(level == ActionLevel.INDIVIDUAL for level in levels):
                levels[rng.randrange(count)] = rng.choice(
                    [ActionLevel.TEAM, ActionLevel.ORGANISATION]
                )
        else:
            levels = [ActionLevel.INDIVIDUAL] * count
        by_theme = {}
        for finding in findings:
            by_theme.setdefault(finding.theme, []).append(finding)
        good = [f for f in findings if f.kind == FindingKind.GOOD_PRACTICE]
        submitted_day = self.plan.days["countersign_and_submit"]
        due_ranges = {
            ActionLevel.INDIVIDUAL: (21, 90),
            ActionLevel.TEAM: (30, 120),
            ActionLevel.ORGANISATION: (60, 240),
            ActionLevel.NATIONAL: (90, 365),
            ActionLevel.EXTERNAL: (60, 240),
        }
        actions = []
        for level in levels:
            description, finding, agency = self.action_text(level, by_theme, good)
            if description is None:
                continue
            owner = self.say(rng.choice(self.fitting(phrases.OWNERS[level])))
            due = submitted_day + timedelta(days=rng.randint(*due_ranges[level]))
            action = ReviewAction(
                description=description,
                level=level,
                agency=agency,
                owner=owner[0].upper() + owner[1:],
                due_on=due,
                finding=finding,
                version=1 + rng.randint(0, 2),
            )
            self.progress(action, reached)
            actions.append(action)
        return actions

    def action_text(self, level, by_theme, good):
        """A description for an action at `level`, the finding it answers, and its agency: from
        the theme of one of the review's findings where it has one, else another of its themes,
        else a general action. Never the same description twice in a plan."""
        rng = self.rng
        if level != ActionLevel.EXTERNAL and good and rng.random() < 0.15:
            text = rng.choice(self.fitting(phrases.GOOD_PRACTICE_ACTIONS))
            if text not in self.used:
                self.used.add(text)
                return text, rng.choice(good), ""
        keys = [k for k in by_theme if k is not None]
        rng.shuffle(keys)
        others = [k for k in self.themes if k not in keys]
        if level == ActionLevel.EXTERNAL:
            others += [k for k, t in phrases.THEMES.items() if "external" in t.actions]
        for key in keys + others:
            theme = phrases.THEMES[key]
            options = [
                t
                for t in theme.actions.get(level, [])
                if self.say(t) not in self.used and self.fits(t)
            ]
            if not options:
                continue
            text = self.say(rng.choice(options))
            self.used.add(text)
            finding = rng.choice(by_theme[key]) if key in by_theme else None
            agency = ""
            if level == ActionLevel.EXTERNAL:
                agency = self.say(phrases.AGENCIES.get(theme.agency, theme.agency))
            return text, finding, agency
        options = [t for t in phrases.GENERIC_ACTIONS.get(level, []) if t not in self.used]
        if not options:
            return None, None, ""
        text = rng.choice(options)
        self.used.add(text)
        return text, None, ""

    def progress(self, action: ReviewAction, reached) -> None:
        """Actions move once the review is submitted: started within weeks, completed around
        their due date, verified with evidence some weeks later; all verified by closure."""
        if "countersign_and_submit" not in reached:
            return
        rng, today = self.rng, self.content.today
        submitted = timezone.localtime(reached["countersign_and_submit"].at).date()
        started = submitted + timedelta(days=rng.randint(0, 45))
        completed = max(
            started + timedelta(days=7), action.due_on + timedelta(rng.randint(-30, 60))
        )
        verified = completed + timedelta(days=rng.randint(14, 90))
        closed = reached.get("close")
        if closed is not None:
            last = timezone.localtime(closed.at).date()
            verified = min(verified, last)
            completed = min(completed, verified)
        if verified < today:  # stamped before today began, like the drafts
            action.status = ActionStatus.VERIFIED
            action.evidence = rng.choice(phrases.EVIDENCE)
            role = Role.SFO_REVIEW_MANAGER if rng.random() < 0.7 else Role.SENIOR_MANAGER
            action.verified_by = self.content.staff.of(self.org, role)
            minutes = rng.randint(9 * 60, 17 * 60)
            stamp = timezone.make_aware(
                datetime.combine(verified, datetime.min.time()) + timedelta(minutes=minutes)
            )
            if closed is not None:
                stamp = min(stamp, closed.at)
            action.verified_at = stamp
        elif completed <= today:
            action.status = ActionStatus.COMPLETED
            action.evidence = rng.choice(phrases.EVIDENCE) if rng.random() < 0.5 else ""
        elif started <= today:
            action.status = ActionStatus.IN_PROGRESS
        else:
            action.status = ActionStatus.OPEN

    # --- Local QA ----------------------------------------------------------------------------

    def qa_answers(self, questions, findings, actions, texts) -> list[tuple]:
        """Yes, partly or no for each standard: the review's known weaknesses where a question
        asks about them, the inspection's shares for the rest."""
        rng, profile = self.rng, self.profile
        answered = []
        for standard in questions:
            question = standard.question.lower()
            if "multi-agency" in question:
                ok = profile.multi_agency
            elif "good practice" in question:
                ok = any(f.kind == FindingKind.GOOD_PRACTICE for f in findings)
            elif "organisational" in question:
                ok = any(a.level != ActionLevel.INDIVIDUAL for a in actions)
            elif "judgement" in question:
                ok = profile.clear
            else:
                share = next((v for k, v in QA_YES.items() if k in question), 0.9)
                ok = rng.random() < share
            if ok:
                answered.append((standard, Answer.YES, ""))
            else:
                answer = Answer.PARTLY if rng.random() < 0.7 else Answer.NO
                answered.append((standard, answer, rng.choice(phrases.QA_COMMENTS)))
        return answered

    # --- The narrative -----------------------------------------------------------------------

    def sentences(self, pool: list[str], count: int) -> list[str]:
        """Up to `count` sentences of `pool` not used yet in this review."""
        fresh = [s for s in pool if s not in self.used and self.fits(s)]
        picked = self.rng.sample(fresh, min(count, len(fresh)))
        self.used.update(picked)
        return [self.say(s) for s in picked]

    def retell(self, entry: ChronologyEntry) -> str:
        """A chronology entry as a sentence of the narrative: "On 3 May 2024, police attended…"."""
        event = entry.event
        first = event.split(" ", 1)[0]
        if first not in ("Mr", "Ms", self.ctx["name"].split(" ")[0]) and event[1:2].islower():
            event = event[0].lower() + event[1:]
        return f"On {day_text(entry.occurred_on)}, {event}"

    def paragraphs(self, count: int, pool: list[str], extra: list[str]) -> list[str]:
        """Up to `count` paragraphs of three to five sentences: `extra` first, then `pool`."""
        rng = self.rng
        pending = list(extra)
        out = []
        for _ in range(count):
            size = rng.randint(3, 5)
            sentences = pending[:size]
            pending = pending[size:]
            sentences += self.sentences(pool, size - len(sentences))
            if sentences:
                out.append(" ".join(sentences))
        return out

    def scaled(self, base: float) -> int:
        return max(1, round(base * self.verbosity))

    def narrative(self, entries, findings, actions, judgement) -> dict[str, list[str]]:
        rng, profile = self.rng, self.profile
        texts: dict[str, list[str]] = {}
        significant = [e for e in entries if e.significant]

        # Methodology: who was interviewed, what was read, the period.
        people, records = self.fitting(phrases.INTERVIEWEES), self.fitting(phrases.RECORDS_READ)
        interviewed = rng.sample(people, min(len(people), rng.randint(2, 5)))
        read = rng.sample(records, min(len(records), rng.randint(4, 8)))
        methodology = [
            self.say(rng.choice(phrases.METHODOLOGY_OPENINGS))
            + " The reviewer interviewed "
            + ", ".join(interviewed[:-1])
            + f" and {interviewed[-1]}. The reviewer read "
            + ", ".join(read[:-1])
            + f" and {read[-1]}.",
            self.say(rng.choice(phrases.METHODOLOGY_PERIOD))
            + (" " + self.say(rng.choice(phrases.METHODOLOGY_HISTORY))) * profile.history_heavy,
            " ".join(
                self.sentences(phrases.METHODOLOGY_EXTRAS, rng.randint(1, 3))
                + self.sentences(
                    phrases.METHODOLOGY_AGENCIES
                    if profile.multi_agency
                    else phrases.METHODOLOGY_NO_AGENCIES,
                    1,
                )
            ),
        ]
        texts[K.METHODOLOGY] = methodology

        # Summary of events: the background, the significant events of the period (the history
        # comes in `lengthen`), and the offence.
        retold = [
            e
            for e in significant
            if self.review_period_start <= e.occurred_on < self.case.offence_date
        ]
        retold = retold[: self.scaled(15)]
        summary = [self.say(rng.choice(phrases.SUMMARY_OPENINGS))]
        for start in range(0, len(retold), 5):
            summary.append(" ".join(self.retell(e) for e in retold[start : start + 5]))
        summary.append(self.say(rng.choice(phrases.SUMMARY_CLOSINGS)))
        texts[K.SUMMARY_OF_EVENTS] = summary

        # Each analysis section finds practice sufficient or not (mostly not when not all
        # reasonable steps were taken), and says why, from the review's themes, when it is not.
        sufficient = 0.25 if profile.judgement == Judgement.NO else 0.75
        for key, base in ANALYSIS_PARAGRAPHS.items():
            good, bad = phrases.ANALYSIS[key]
            ok = rng.random() < sufficient
            extra = [
                self.say(s)
                for name in self.themes
                if phrases.THEMES[name].section == key and not ok
                for s in self.fitting(phrases.THEMES[name].analysis)[:1]
            ]
            texts[key] = self.paragraphs(self.scaled(base), good if ok else bad, extra)
        texts[K.MULTI_AGENCY] = self.multi_agency()

        # Good practice, from the good practice findings.
        good_findings = [f for f in findings if f.kind == FindingKind.GOOD_PRACTICE]
        if good_findings:
            texts[K.GOOD_PRACTICE] = [
                f"{f.title}. {f.analysis} {phrases.GOOD_PRACTICE_NOTES[f.dissemination]}".strip()
                for f in good_findings
            ]
        elif profile.good_practice:
            texts[K.GOOD_PRACTICE] = [self.say(self.fitting(phrases.GOOD_PRACTICE)[0][1])]
        else:
            # Blank, not "none identified": the coach reads any text here as good practice.
            texts[K.GOOD_PRACTICE] = []

        # The conclusion: a clear judgement, or the hedging the inspection found in 22%.
        conclusion = [self.say(rng.choice(phrases.CONCLUSION_OPENINGS))]
        judged = judgement or profile.judgement
        if profile.clear:
            conclusion.append(
                self.say(rng.choice(phrases.JUDGEMENT_CLEAR[judged]))
                + " "
                + " ".join(self.sentences(phrases.REASONS[judged], 2))
            )
        else:
            conclusion.append(" ".join(self.sentences(phrases.JUDGEMENT_HEDGED, 2)))
        texts[K.CONCLUSION] = conclusion

        failings = [f for f in findings if f.kind != FindingKind.GOOD_PRACTICE]
        areas = [rng.choice(phrases.AREAS_OPENINGS)]
        areas += [f"{f.title}." for f in failings] or ["Contact with other agencies."]
        areas.append(rng.choice(phrases.AREAS_CLOSINGS))
        texts[K.AREAS_FOR_IMPROVEMENT] = areas
        texts[K.NEXT_STEPS] = self.sentences(phrases.NEXT_STEPS, rng.randint(2, 5))
        self.lengthen(texts, entries)
        return texts

    def lengthen(self, texts: dict[str, list[str]], entries: list[ChronologyEntry]) -> None:
        """Grow the review towards its length (REVIEW_WORDS x verbosity, more with a longer
        chronology) the way long reviews grow: by retelling the chronology, each event of the
        period in the section its source belongs to, with a comment on the significant ones, and
        the history in the summary of events (first, in the reviews weighted to it); then what
        the staff interviewed said. A short chronology keeps a review short."""
        rng, profile = self.rng, self.profile
        # Long chronologies go with long reviews (60 and 30 pages at one provider).
        target = REVIEW_WORDS * self.verbosity * (max(10, len(entries)) / 30) ** 0.7
        words = sum(len(p.split()) for paragraphs in texts.values() for p in paragraphs)
        in_period = [e for e in entries if e.occurred_on >= self.review_period_start]
        history = [e for e in entries if e.occurred_on < self.review_period_start]
        routine = [e for e in in_period if not e.significant]
        rng.shuffle(routine)
        candidates = [e for e in in_period if e.significant] + routine
        # The history: first in the reviews weighted to it, last (if at all) in the others.
        candidates = history + candidates if profile.history_heavy else candidates + history
        bad_share = 0.65 if profile.judgement == Judgement.NO else 0.3
        detail = min(0.9, max(0.1, self.verbosity - 0.5))  # the verbose retell at length
        retold: dict[str, list[tuple[date, str]]] = {}
        for entry in candidates:
            if words >= target:
                break
            sentence = self.retell(entry)
            if entry.occurred_on < self.review_period_start:
                retold.setdefault(K.SUMMARY_OF_EVENTS, []).append((entry.occurred_on, sentence))
                words += len(sentence.split())
                continue
            key = RETOLD_IN.get(entry.source, K.IMPLEMENTATION)
            if key == K.MULTI_AGENCY and not profile.multi_agency:
                key = K.IMPLEMENTATION  # a thin multi-agency section stays thin
            if entry.significant and rng.random() < 0.7:
                bad = rng.random() < bad_share
                sentence += " " + self.say(
                    rng.choice(self.fitting(phrases.COMMENTS_BAD if bad else phrases.COMMENTS_GOOD))
                )
            elif not entry.significant and rng.random() < 0.5:
                sentence += " " + self.say(rng.choice(phrases.COMMENTS_ROUTINE))
            if rng.random() < detail:
                sentence += " " + self.say(rng.choice(self.fitting(phrases.DETAILS)))
            retold.setdefault(key, []).append((entry.occurred_on, sentence))
            words += len(sentence.split())
        for key, dated in retold.items():
            sentences = [sentence for _, sentence in sorted(dated, key=lambda d: d[0])]
            paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
            texts[key][1:1] = paragraphs  # after the section's opening paragraph
        keys = list(ANALYSIS_PARAGRAPHS)
        while words < target:
            said = self.sentences(phrases.INTERVIEWS, rng.randint(2, 4))
            if not said:
                break
            texts[rng.choice(keys)].append(" ".join(said))
            words += sum(len(s.split()) for s in said)

    def multi_agency(self) -> list[str]:
        """Thin (a few sentences, under the coach's threshold) in 61% of reviews; otherwise an
        analysis of each agency involved."""
        rng, case = self.rng, self.case
        if not self.profile.multi_agency:
            return [" ".join(self.sentences(phrases.MULTI_AGENCY_THIN, rng.randint(1, 3)))]
        full = phrases.MULTI_AGENCY_FULL
        parts = ["general", "police"]
        if case.mappa_category not in ("", MappaCategory.NONE):
            parts.append("mappa")
        if case.iom:
            parts.append("iom")
        parts += rng.sample(["childrens_services", "mental_health"], rng.randint(1, 2))
        out = []
        for part in parts:
            count = min(len(full[part]), max(1, round(rng.randint(1, 3) * self.verbosity)))
            out.append(" ".join(self.sentences(full[part], count)))
        # Sufficient means an analysis of each agency: never under the coach's threshold.
        for part in parts:
            if sum(len(p.split()) for p in out) >= SUFFICIENT_MULTI_AGENCY_WORDS:
                break
            out[parts.index(part)] += " " + " ".join(self.sentences(full[part], 3))
        closing = 0 if self.profile.judgement == Judgement.NO else 1
        out.append(self.say(full["closing"][closing]))
        extra = [
            self.say(s)
            for name in self.themes
            if phrases.THEMES[name].section == K.MULTI_AGENCY
            for s in self.fitting(phrases.THEMES[name].analysis)[:2]
        ]
        if extra:
            out.insert(1, " ".join(extra))
        return [p for p in out if p]
