"""The redactions, redacted copies and staff responses of the synthetic national dataset (issue 8;
ADR 0012), written after the reviews, QA rounds and victims, in bulk and deterministically from
the seed.

The shares, and the assumptions behind them (the inspection gives no figures):

- Marks: a third of the reviews written have some. Up to two chronology events that mention a
  third party ("partner", "a child", "children", "neighbour", "mother", "sister") have those words
  withheld as third party details. No mark names a member of staff: such a mark withholds the
  person's name (ADR 0012), and the synthetic reviews never name the officers ("the responsible
  officer"). One mark in twenty was later removed by its reviewer.
- Copies: every QA-complete (or closed) review with marks, and half of those without, is shared
  redacted 1 to 10 days after its last version was submitted, by its reviewer; nothing is shared
  after now.
- Responses: on two copies in five, the officer responds to one or two findings, 1 to 20 days
  after sharing: agree (50%), disagree with reasons (20%), context (30%); one response in ten was
  later replaced by a second one.

`delete_learning_redactions` deletes these rows of the synthetic cases before their reviews go
(a copy refers to its version; marks, copies and responses are never deleted otherwise)."""

import random
from collections import Counter
from datetime import datetime, timedelta

import pgtrigger

from reviews.management.commands._timestamps import given_times
from reviews.models import (
    FindingResponse,
    RedactedCopy,
    Redaction,
    RedactionCategory,
    Review,
    ReviewVersion,
    VersionPurpose,
)
from reviews.redaction import find_quote, redact
from reviews.workflow import CaseState

MARKED_SHARE = 1 / 3
REMOVED_SHARE = 0.05
SHARED_WITHOUT_MARKS = 0.5
RESPONDING_SHARE = 0.4
REPLACED_SHARE = 0.1
THIRD_PARTY_WORDS = ["partner", "a child", "children", "neighbour", "mother", "sister"]
MENTIONS = "|".join(THIRD_PARTY_WORDS)
SHAREABLE = {CaseState.QA_COMPLETE, CaseState.CLOSED}
STANCES = {"agree": 50, "disagree": 20, "context": 30}
TEXTS = {
    "agree": ["", "I agree: I should have checked this with the police.", ""],
    "disagree": [
        "The address was checked by phone with the hostel, which the review does not mention.",
        "The enforcement decision was agreed with my manager at the time.",
        "The information from the police did not reach me until after the offence.",
    ],
    "context": [
        "My caseload was over 60 cases that spring, with two colleagues on long-term leave.",
        "I was covering the case for three weeks only, between two other officers.",
        "The team had no senior probation officer for four months.",
    ],
}
REASONS = {
    RedactionCategory.THIRD_PARTY: "Identifies a third party who is not part of the review",
}


def weighted(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def delete_learning_redactions(case_ids) -> int:
    """Delete the responses, copies and marks of these (synthetic) cases: their triggers, which
    refuse any deletion, are lifted for these statements only."""
    reviews = Review.objects.filter(case__in=case_ids)
    copies = RedactedCopy.objects.filter(review__in=reviews)
    with pgtrigger.ignore(
        "reviews.FindingResponse:finding_response_undeletable",
        "reviews.RedactedCopy:redacted_copy_undeletable",
        "reviews.Redaction:redaction_undeletable",
    ):
        deleted = FindingResponse.objects.filter(copy__in=copies).delete()[0]
        deleted += copies.only("pk").delete()[0]
        deleted += Redaction.objects.filter(review__in=reviews).only("pk").delete()[0]
    return deleted


class LearningRedactionContent:
    """Marks, copies and responses for the reviews of the plans, written in bulk."""

    def __init__(self, *, seed: int, now: datetime):
        self.seed, self.now = seed, now
        self.counts: Counter = Counter()

    def write(self, plans, batch: int = 1000) -> dict[str, int]:
        rng = random.Random(f"learning redaction {self.seed}")  # noqa: S311 - reproducible
        by_case = {plan.case.pk: plan for plan in plans if plan.case.reviewer_id}
        reviews = dict(
            Review.objects.filter(case_id__in=list(by_case)).values_list("case_id", "pk")
        )
        ordered = sorted(reviews)  # by case id: the same order in every run
        marked = [case_id for case_id in ordered if rng.random() < MARKED_SHARE]
        marks = self.plan_marks(rng, [reviews[c] for c in marked], by_case, reviews)
        marks_of: dict[int, list[Redaction]] = {}
        for mark in marks:
            marks_of.setdefault(mark.review_id, []).append(mark)
        with given_times([Redaction._meta.get_field("marked_at")]):
            Redaction.objects.bulk_create(marks, batch_size=batch)
        shared = [
            case_id
            for case_id in ordered
            if by_case[case_id].case.state in SHAREABLE
            and (reviews[case_id] in marks_of or rng.random() < SHARED_WITHOUT_MARKS)
        ]
        copies = self.plan_copies(rng, shared, by_case, reviews, marks_of)
        with given_times([RedactedCopy._meta.get_field("shared_at")]):
            RedactedCopy.objects.bulk_create(copies, batch_size=batch)
        responses = self.plan_responses(rng, copies, by_case)
        with given_times([FindingResponse._meta.get_field("at")]):
            FindingResponse.objects.bulk_create(responses, batch_size=batch)
        self.counts.update(
            {
                "redactions": len(marks),
                "redacted copies": len(copies),
                "staff responses": len(responses),
            }
        )
        return dict(self.counts)

    def summary(self) -> list[str]:
        return [
            f"{self.counts['redactions']} redactions marked, "
            f"{self.counts['redacted copies']} redacted copies shared, "
            f"{self.counts['staff responses']} staff responses"
        ]

    # --- Planning ---------------------------------------------------------------------------

    def plan_marks(self, rng, review_ids, by_case, reviews) -> list[Redaction]:
        from reviews.models import ChronologyEntry

        case_of = {review_id: case_id for case_id, review_id in reviews.items()}
        events: dict[int, list[tuple[int, str]]] = {}
        for pk, review_id, event in (
            ChronologyEntry.objects.filter(review_id__in=review_ids, event__iregex=MENTIONS)
            .order_by("review_id", "occurred_on", "pk")
            .values_list("pk", "review_id", "event")
        ):
            events.setdefault(review_id, []).append((pk, event))
        marks = []
        for review_id in review_ids:
            plan = by_case[case_of[review_id]]
            reviewer_id = plan.case.reviewer_id
            when = self.after(rng, plan.case.created_at or self.now, 30, 120)
            for pk, event in events.get(review_id, [])[:2]:
                word = next(
                    (w for w in THIRD_PARTY_WORDS if find_quote(event, w) is not None), None
                )
                if word:
                    marks.append(
                        self.mark(
                            rng,
                            review_id,
                            f"chronology:{pk}:event",
                            event,
                            word,
                            RedactionCategory.THIRD_PARTY,
                            None,
                            reviewer_id,
                            when,
                        )
                    )
        return marks

    def mark(self, rng, review_id, place, text, quote, category, staff_id, by_id, when):
        removed = rng.random() < REMOVED_SHARE
        return Redaction(
            review_id=review_id,
            place=place,
            quote=quote,
            offset=find_quote(text, quote),
            category=category,
            staff_member_id=staff_id,
            reason=REASONS[category],
            marked_by_id=by_id,
            marked_at=when,
            removed_by_id=by_id if removed else None,
            removed_at=when + timedelta(days=1) if removed else None,
        )

    def after(self, rng, start: datetime, low: int, high: int) -> datetime:
        return min(
            start + timedelta(days=rng.randint(low, high), minutes=rng.randint(0, 480)), self.now
        )

    def plan_copies(self, rng, case_ids, by_case, reviews, marks_of) -> list[RedactedCopy]:
        review_ids = [reviews[c] for c in case_ids]
        versions = {
            v.review_id: v
            for v in ReviewVersion.objects.filter(
                review_id__in=review_ids, purpose=VersionPurpose.CENTRAL
            )
            .order_by("review_id", "-number")
            .distinct("review_id")
        }
        copies = []
        for case_id in case_ids:
            review_id = reviews[case_id]
            version = versions.get(review_id)
            if version is None:
                continue
            shared_at = self.after(rng, version.created_at, 1, 10)
            if shared_at >= self.now:
                continue
            in_force = [
                m
                for m in marks_of.get(review_id, [])
                if m.removed_at is None or m.removed_at > shared_at
            ]
            copies.append(
                RedactedCopy(
                    review_id=review_id,
                    version=version,
                    snapshot=redact(version.snapshot, in_force, audience="staff"),
                    mark_ids=[m.pk for m in in_force],
                    shared_by_id=by_case[case_id].case.reviewer_id,
                    shared_at=shared_at,
                )
            )
        return copies

    def plan_responses(self, rng, copies, by_case) -> list[FindingResponse]:
        reviews = dict(
            Review.objects.filter(pk__in=[c.review_id for c in copies]).values_list("pk", "case_id")
        )
        responses = []
        for copy in copies:
            plan = by_case[reviews[copy.review_id]]
            findings = copy.snapshot["findings"]
            if plan.officer is None or not findings or rng.random() >= RESPONDING_SHARE:
                continue
            for finding in rng.sample(findings, min(len(findings), rng.randint(1, 2))):
                at = self.after(rng, copy.shared_at, 1, 20)
                replaced = rng.random() < REPLACED_SHARE and at + timedelta(days=2) < self.now
                stance = weighted(rng, STANCES)
                first = FindingResponse(
                    copy=copy,
                    finding_id=finding["id"],
                    by=plan.officer,
                    stance=stance,
                    text=rng.choice(TEXTS[stance]),
                    at=at,
                    replaced_at=at + timedelta(days=2) if replaced else None,
                )
                responses.append(first)
                if replaced:
                    stance = weighted(rng, {"disagree": 1, "context": 1})
                    responses.append(
                        FindingResponse(
                            copy=copy,
                            finding_id=finding["id"],
                            by=plan.officer,
                            stance=stance,
                            text=rng.choice(TEXTS[stance]),
                            at=at + timedelta(days=2),
                        )
                    )
        return responses
