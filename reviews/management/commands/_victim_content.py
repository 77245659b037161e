"""The victims and families of the synthetic national dataset: for every case, one to three
victims or family members as the provider's victim liaison officer (VLO) recorded them; for those
whose case entitles them (`victims.services.is_entitled`: registered, automatic after any
override, convicted of a qualifying offence), the "inform of entitlement" task, the attempts to
reach them, and, for the few who ask, the request for disclosure through its lifecycle: the
vulnerability assessment and its sign-off, the meeting and its feedback, or a deferral, or the
end of the request.

The shares, and the assumptions behind them (the inspection gives no national figures beyond "few
ask", which is what recommendation 14 is about):

- People per case: 1 (45%), 2 (35%) or 3 (20%). Where the offence killed the victim, all are
  family members; otherwise the first is the victim, the rest family.
- Told of the entitlement: 82% within the task's clock (the `victim_entitlement` policy, 10
  working days from the day the conviction and the person were both recorded), 14% late (11 to
  45 working days), 4% never reached (attempts with no answer, the task still open). Before the
  attempt that tells them, none (55%), one (30%) or two (15%) that did not reach them. Three in
  four are told by telephone or a visit, one in four by letter. Nobody is told after today: a
  recent conviction leaves its tasks open.
- Of those told, 12.5% ask to see the review (a quota, so that even a small dataset has some),
  2 to 60 days after being told. Of the requests: 10% end before any assessment (the person
  withdraws); the rest are assessed 3 to 15 working days after the request and signed off 1 to 8
  working days later by the provider's senior manager, deciding to proceed (56%), proceed with
  adjustments (24%) or defer (10%) for 20 to 60 working days. Of the requests signed off to
  proceed, one in twenty ends before the meeting; the others meet 10 to 40 working days after
  sign-off, and three in four meetings have their feedback recorded 2 to 15 working days later.
  Any step that would fall after now has not happened yet: the request waits where it is.

What the services would also have done, and this does not: a request flags the case for the
central team (`Case.disclosure_requested_on`, which is set here, after the central QA rounds are
written), and asks for a full QA where it was targeted (`qa.services.require_full_qa`); the QA
rounds of the dataset keep the mode they were given. No plain-language summary or disclosure pack
is made (a pack needs a document job and the review's frozen version; the meetings are written
without a `PackRelease`). The database's gate still holds: each meeting's request has its
assessment signed off to proceed, written before the meeting.

The reviews app must not import `victims` at module level (dependencies point reviews -> qa ->
victims): this module imports it inside the functions that write victims' data, like
`_qa_content` does with qa."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.utils import timezone

from offences.qualification import Outcome
from reviews.management.commands._timestamps import given_times
from reviews.models import Case, CourtOutcome
from sfo.clocks.models import ClockKind
from sfo.people.management.commands.load_demo_data import FIRST_NAMES, LAST_NAMES
from sfo.people.roles import Role

PEOPLE_PER_CASE = {1: 45, 2: 35, 3: 20}
TOLD = {"in_time": 82, "late": 14, "never": 4}
FAILED_FIRST = {0: 55, 1: 30, 2: 15}
REQUEST_SHARE = 0.125  # of the people told
REQUEST_PATHS = {"withdrawn": 10, "defer": 10, "proceed": 56, "adjust": 24}
ENDED_AFTER_SIGN_OFF = 0.05
FEEDBACK_SHARE = 0.75
VCS_CHOICE = {"opted_in": 65, "declined": 20, "not_asked": 15}

FAMILY = ["mother", "father", "partner", "son", "daughter", "brother", "sister", "aunt"]
PARENTS = ["mother", "father"]
SUPPORT_NEEDS = [
    "Needs an interpreter (Polish).",
    "Prefers contact after 5pm: works days.",
    "Has an advocate from the homicide service; contact through them first.",
    "Large print, please.",
    "Hearing impaired: text messages or email rather than calls.",
]
FAILED_OUTCOMES = {"no_answer": 55, "message_left": 35, "not_now": 7, "wrong_details": 3}
MEETING_PLACES = [
    "Probation office, interview room 2",
    "The family's home",
    "Victim Support centre",
    "By video call, at the family's request",
]
REASONS = {
    "proceed": [
        "No risk to them or from them is known; they have support from family.",
        "The assessment found no safeguarding concern; they want the meeting soon.",
    ],
    "adjust": [
        "They are anxious about the details of the offence: a support worker attends and the "
        "chronology is explained before the pack is handed over.",
        "They asked for the meeting at home, with their advocate present.",
    ],
    "defer": [
        "They are waiting for the inquest and asked to meet afterwards.",
        "A recent crisis: the GP advised waiting until the support plan is in place.",
    ],
}
SUPPORT = [
    "A support worker attends the meeting.",
    "Meeting at home; the summary is read through with them first.",
    "Their advocate is sent the summary in advance.",
]
OUTCOMES = [
    "The senior manager went through the summary and the key findings; the family asked about "
    "the actions.",
    "The review was explained and the pack handed over; the family will read it with their "
    "advocate.",
]
FEEDBACK = {
    "what_helped": ["Having the summary in plain words first.", "Time to ask questions."],
    "what_did_not_help": ["", "The full review is long and hard to follow."],
    "questions_raised": ["Why recall was not considered earlier.", "Who checks the actions."],
    "follow_up_agreed": ["A letter on the actions' progress in six months.", ""],
}


def weighted(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def quota_labels(rng: random.Random, n: int, mix: dict) -> list:
    """n labels in the proportions of `mix` (largest remainder), shuffled."""
    total = sum(mix.values())
    exact = {label: n * weight / total for label, weight in mix.items()}
    counts = {label: int(share) for label, share in exact.items()}
    order = sorted(mix, key=lambda label: exact[label] - counts[label], reverse=True)
    for label in order[: n - sum(counts.values())]:
        counts[label] += 1
    labels = [label for label in mix for _ in range(counts[label])]
    rng.shuffle(labels)
    return labels


def stamp(rng: random.Random, day: date) -> datetime:
    minutes = rng.randint(9 * 60, 17 * 60)
    return timezone.make_aware(datetime.combine(day, clock_time(minutes // 60, minutes % 60)))


def entitles(case: Case) -> bool:
    """`victims.services.is_entitled`, on the in-memory case."""
    return bool(
        case.reference
        and (case.qualification_override or case.qualification) == Outcome.AUTOMATIC
        and case.court_outcome == CourtOutcome.CONVICTED_QUALIFYING
        and case.court_outcome_date
    )


def killed(charge) -> bool:
    """Whether the offence charged (not an attempt or a conspiracy) killed the victim."""
    title = charge.offence.title.lower()
    return not charge.form and (title == "murder" or "manslaughter" in title or "death" in title)


@dataclass
class Person:
    """One victim or family member, decided in memory before it is written."""

    victim: object
    rng: random.Random
    case: Case
    vlo: object
    senior: object
    task: object = None
    contacts: list = field(default_factory=list)
    told_on: date | None = None
    request: object = None
    steps: list = field(default_factory=list)
    assessment: object = None
    meeting: object = None


def delete_victims(case_ids) -> int:
    """Delete the victims' records of these (synthetic) cases, before their reviews go (a pack
    refers to the review's version): children first, one table at a time, as the command checks
    each foreign key as its statement ends."""
    from victims.models import (
        ContactAttempt,
        DisclosureMeeting,
        DisclosurePack,
        DisclosureRequest,
        EntitlementTask,
        PackRelease,
        PlainSummary,
        RequestStep,
        Victim,
        VulnerabilityAssessment,
    )

    victims = Victim.objects.filter(case__in=case_ids)
    requests = DisclosureRequest.objects.filter(victim__in=victims)
    deleted = PackRelease.objects.filter(request__in=requests).delete()[0]
    deleted += DisclosurePack.objects.filter(request__in=requests).delete()[0]
    deleted += DisclosureMeeting.objects.filter(request__in=requests).delete()[0]
    deleted += VulnerabilityAssessment.objects.filter(request__in=requests).delete()[0]
    deleted += RequestStep.objects.filter(request__in=requests).delete()[0]
    deleted += requests.delete()[0]
    deleted += ContactAttempt.objects.filter(victim__in=victims).delete()[0]
    deleted += EntitlementTask.objects.filter(victim__in=victims).delete()[0]
    deleted += victims.delete()[0]
    deleted += PlainSummary.objects.filter(case__in=case_ids).delete()[0]
    return deleted


class VictimContent:
    """Writes the victims, their entitlement tasks and contacts, and their requests."""

    def __init__(self, *, seed: int, staff, today: date, now: datetime, calendar, policy):
        self.seed, self.staff, self.today, self.now = seed, staff, today, now
        self.calendar = calendar
        self.policy = policy  # the command's memoised `ClockPolicy.applying_to`
        self.counts: Counter = Counter()

    def after(self, rng: random.Random, day: date, low: int, high: int) -> date:
        return self.calendar.add_working_days(day, rng.randint(low, high))

    # --- Planning -------------------------------------------------------------------------------

    def plan(self, plans) -> list[Person]:
        people = []
        for plan in plans:
            people += self.people_of(plan)
        for person in people:
            if entitles(person.case):
                self.entitlement(person)
        told = [p for p in people if p.told_on is not None]
        master = random.Random(f"victims {self.seed}")  # noqa: S311 - reproducible test data
        asking = master.sample(told, round(REQUEST_SHARE * len(told)))
        asking.sort(key=lambda p: (p.case.crn, p.victim.created_at))
        for person, path in zip(
            asking, quota_labels(master, len(asking), REQUEST_PATHS), strict=True
        ):
            self.request(person, path)
        return people

    def people_of(self, plan) -> list[Person]:
        from victims.models import AgeBand, ContactMethod, Relationship, Victim

        case = plan.case
        rng = random.Random(f"victims {plan.content_seed}")  # noqa: S311
        recorded_on = self.after(rng, case.first_hearing_date, 1, 15)
        recorded_at = stamp(rng, recorded_on)
        if recorded_at > self.now:
            return []
        provider = case.managing_provider
        vlo = self.staff.of(provider, Role.VICTIM_LIAISON_OFFICER)
        senior = self.staff.of(provider, Role.SENIOR_MANAGER)
        died = killed(plan.charge)
        under_13 = bool(getattr(plan.charge, "victim_under_13", False))
        family_name = rng.choice(LAST_NAMES)
        people = []
        for index in range(weighted(rng, PEOPLE_PER_CASE)):
            is_victim = index == 0 and not died
            if is_victim:
                relationship, to_victim = Relationship.VICTIM, ""
                age = AgeBand.UNDER_13 if under_13 else AgeBand.ADULT
            else:
                relationship = Relationship.FAMILY
                to_victim = rng.choice(PARENTS if under_13 else FAMILY)
                age = AgeBand.ADULT if rng.random() < 0.9 else AgeBand.NOT_KNOWN
            last = family_name if rng.random() < 0.7 else rng.choice(LAST_NAMES)
            first = rng.choice(FIRST_NAMES)
            preferred = weighted(
                rng,
                {
                    ContactMethod.PHONE: 55,
                    ContactMethod.EMAIL: 15,
                    ContactMethod.LETTER: 15,
                    ContactMethod.VISIT: 10,
                    ContactMethod.REPRESENTATIVE: 5,
                },
            )
            victim = Victim(
                case=case,
                full_name=f"{first} {last}",
                relationship=relationship,
                relationship_to_victim=to_victim,
                victim_died=died,
                age_band=age,
                address=f"{rng.randint(1, 199)} Example Road",
                phone=f"07700 900{rng.randint(0, 999):03d}",
                email=f"{first}.{last}@example.com".lower() if rng.random() < 0.6 else "",
                preferred_contact=preferred,
                support_needs=rng.choice(SUPPORT_NEEDS) if rng.random() < 0.15 else "",
                vcs_officer=vlo,
                created_by=vlo,
                created_at=recorded_at,
                updated_at=recorded_at,
            )
            people.append(Person(victim=victim, rng=rng, case=case, vlo=vlo, senior=senior))
            self.counts["people"] += 1
            self.counts["family"] += relationship == Relationship.FAMILY
        self.counts["cases"] += 1
        return people

    def entitlement(self, person: Person) -> None:
        """The task, the attempts to reach the person and, if one did by today, the day they
        were told."""
        from victims.models import (
            ContactAttempt,
            ContactMethod,
            ContactOutcome,
            EntitlementTask,
            TaskStatus,
            VCSChoice,
        )

        rng, victim = person.rng, person.victim
        recorded_on = timezone.localtime(victim.created_at).date()
        start = max(person.case.court_outcome_date, recorded_on)
        policy = self.policy(ClockKind.VICTIM_ENTITLEMENT, start)
        due = policy.due_from(start, self.calendar)
        timing = weighted(rng, TOLD)
        if timing == "in_time":
            told_offset = rng.randint(1, policy.length)
        elif timing == "late":
            told_offset = rng.randint(policy.length + 1, 45)
        else:
            told_offset = None
        failures = rng.randint(2, 4) if told_offset is None else weighted(rng, FAILED_FIRST)
        room = told_offset if told_offset is not None else 30
        offsets = sorted(rng.sample(range(0, room), min(failures, room)))
        attempts = [
            (o, rng.choice([ContactMethod.PHONE, ContactMethod.PHONE, ContactMethod.EMAIL]))
            for o in offsets
        ]
        for offset, method in attempts:
            day = self.calendar.add_working_days(start, offset)
            if day > self.today:
                break
            outcome = weighted(rng, FAILED_OUTCOMES)
            person.contacts.append(
                ContactAttempt(
                    victim=victim,
                    made_on=day,
                    method=method,
                    outcome=outcome,
                    by=person.vlo,
                    at=stamp(rng, day),
                )
            )
        task = EntitlementTask(
            victim=victim,
            policy=policy,
            started_on=start,
            due_on=due,
            status=TaskStatus.OPEN,
            created_at=stamp(rng, start),
        )
        if told_offset is not None:
            day = self.calendar.add_working_days(start, told_offset)
            if day <= self.today:
                by_letter = rng.random() < 0.25
                person.contacts.append(
                    ContactAttempt(
                        victim=victim,
                        made_on=day,
                        method=ContactMethod.LETTER
                        if by_letter
                        else rng.choice([ContactMethod.PHONE, ContactMethod.VISIT]),
                        outcome=ContactOutcome.LETTER_SENT
                        if by_letter
                        else ContactOutcome.INFORMED,
                        by=person.vlo,
                        at=stamp(rng, day),
                    )
                )
                task.status, task.informed_on = TaskStatus.DONE, day
                person.told_on = day
                choice = weighted(rng, VCS_CHOICE)
                if choice != "not_asked":
                    victim.vcs = VCSChoice(choice)
                    victim.vcs_decided_on = day
                self.counts["told"] += 1
                self.counts["told in time"] += day <= due
        person.task = task
        self.counts["tasks"] += 1
        self.counts["contacts"] += len(person.contacts)

    def request(self, person: Person, path: str) -> None:
        """The request and as much of its lifecycle as has happened by now."""
        from victims.models import (
            ContactMethod,
            Decision,
            DisclosureMeeting,
            DisclosureRequest,
            RequestState,
            RiskLevel,
            VulnerabilityAssessment,
            YesNoNotKnown,
        )

        rng, vlo, senior = person.rng, person.vlo, person.senior
        R = RequestState  # noqa: N806
        requested_on = min(self.today, person.told_on + timedelta(days=rng.randint(2, 60)))
        request = DisclosureRequest(
            victim=person.victim,
            state="",  # the first step makes it "requested"
            requested_on=requested_on,
            how_made=weighted(
                rng,
                {ContactMethod.PHONE: 60, ContactMethod.EMAIL: 20, ContactMethod.LETTER: 20},
            ),
            recorded_by=vlo,
            recorded_at=stamp(rng, requested_on),
        )
        person.request = request
        self.counts["requests"] += 1

        def step(name: str, to: str, at: datetime, by, comment: str = "") -> None:
            person.steps.append((name, request.state, to, by, at, comment))
            request.state = to

        step("request", R.REQUESTED, request.recorded_at, vlo)
        if path == "withdrawn":
            ended = self.after(rng, requested_on, 2, 20)
            if ended <= self.today:
                request.declined_reason = "They no longer wish to see the review."
                step("decline", R.DECLINED, stamp(rng, ended), vlo, request.declined_reason)
                self.counts["declined"] += 1
            return
        assessed_on = self.after(rng, requested_on, 3, 15)
        decision = {
            "defer": Decision.DEFER,
            "adjust": Decision.PROCEED_WITH_ADJUSTMENTS,
            "proceed": Decision.PROCEED,
        }[path]
        levels = {RiskLevel.NONE_KNOWN: 50, RiskLevel.LOW: 35, RiskLevel.MEDIUM: 12}
        levels[RiskLevel.HIGH] = 3
        assessment = VulnerabilityAssessment(
            request=request,
            self_harm=weighted(rng, levels),
            serious_harm=weighted(rng, levels),
            in_relationship=weighted(
                rng, {YesNoNotKnown.NO: 90, YesNoNotKnown.YES: 3, YesNoNotKnown.NOT_KNOWN: 7}
            ),
            risk_to_staff=weighted(rng, {RiskLevel.NONE_KNOWN: 70, RiskLevel.LOW: 30}),
            assessed_by=vlo,
        )
        person.assessment = assessment
        if assessed_on > self.today:
            # Begun, not completed: a draft with the first answers.
            assessment.updated_at = stamp(rng, requested_on)
            self.counts["draft assessments"] += 1
            return
        assessed_at = stamp(rng, assessed_on)
        assessment.decision = decision
        assessment.reasons = rng.choice(REASONS[path])
        if decision == Decision.PROCEED_WITH_ADJUSTMENTS:
            assessment.support = rng.choice(SUPPORT)
        assessment.assessed_at = assessment.updated_at = assessed_at
        step("assess", R.ASSESSED, assessed_at, vlo)
        self.counts["assessments"] += 1
        signed_on = self.after(rng, assessed_on, 1, 8)
        if signed_on > self.today:
            return
        signed_at = stamp(rng, signed_on)
        if decision == Decision.DEFER:
            review_on = self.after(rng, signed_on, 20, 60)
            assessment.review_on = request.review_on = review_on
        assessment.signed_off_by, assessment.signed_off_at = senior, signed_at
        assessment.updated_at = signed_at
        self.counts["signed off"] += 1
        if decision == Decision.DEFER:
            step("defer", R.DEFERRED, signed_at, senior, assessment.reasons)
            self.counts["deferred"] += 1
            return
        step("sign_off", R.SIGNED_OFF, signed_at, senior)
        held_on = self.after(rng, signed_on, 10, 40)
        if rng.random() < ENDED_AFTER_SIGN_OFF:
            ended = self.after(rng, signed_on, 3, 20)
            if ended <= self.today:
                request.declined_reason = "They decided not to go ahead with the meeting."
                step("decline", R.DECLINED, stamp(rng, ended), vlo, request.declined_reason)
                self.counts["declined"] += 1
            return
        if held_on > self.today:
            return
        held_at = stamp(rng, held_on)
        meeting = DisclosureMeeting(
            request=request,
            held_on=held_on,
            place=rng.choice(MEETING_PLACES),
            senior_manager=senior,
            liaison_officer=vlo,
            adjustments=assessment.support,
            outcome=rng.choice(OUTCOMES),
            recorded_by=vlo,
            recorded_at=held_at,
        )
        person.meeting = meeting
        step("hold_meeting", R.DISCLOSED, held_at, vlo)
        self.counts["meetings"] += 1
        feedback_on = self.after(rng, held_on, 2, 15)
        if feedback_on <= self.today and rng.random() < FEEDBACK_SHARE:
            for name, options in FEEDBACK.items():
                setattr(meeting, name, rng.choice(options))
            meeting.feedback_by, meeting.feedback_at = vlo, stamp(rng, feedback_on)
            step("record_feedback", R.FEEDBACK_RECORDED, meeting.feedback_at, vlo)
            self.counts["feedback"] += 1

    # --- Writing --------------------------------------------------------------------------------

    def write(self, plans, batch: int) -> dict[str, int]:
        """Plan and write the victims of cases already written; the meetings after the
        assessments that open the database's gate."""
        from victims.models import (
            ContactAttempt,
            DisclosureMeeting,
            DisclosureRequest,
            EntitlementTask,
            RequestStep,
            Victim,
            VulnerabilityAssessment,
        )

        people = self.plan(plans)
        timed = [
            (Victim, "created_at"),
            (Victim, "updated_at"),
            (EntitlementTask, "created_at"),
            (ContactAttempt, "at"),
            (DisclosureRequest, "recorded_at"),
            (RequestStep, "at"),
            (VulnerabilityAssessment, "updated_at"),
            (DisclosureMeeting, "recorded_at"),
        ]
        with given_times([model._meta.get_field(name) for model, name in timed]):
            Victim.objects.bulk_create([p.victim for p in people], batch_size=batch)
            EntitlementTask.objects.bulk_create(
                [p.task for p in people if p.task], batch_size=batch
            )
            ContactAttempt.objects.bulk_create(
                [c for p in people for c in p.contacts], batch_size=batch
            )
            asked = [p for p in people if p.request is not None]
            DisclosureRequest.objects.bulk_create([p.request for p in asked], batch_size=batch)
            RequestStep.objects.bulk_create(
                [
                    RequestStep(
                        request=p.request,
                        name=name,
                        from_state=from_state,
                        to_state=to_state,
                        by=by,
                        at=at,
                        comment=comment,
                    )
                    for p in asked
                    for name, from_state, to_state, by, at, comment in p.steps
                ],
                batch_size=batch,
            )
            VulnerabilityAssessment.objects.bulk_create(
                [p.assessment for p in asked if p.assessment], batch_size=batch
            )
            DisclosureMeeting.objects.bulk_create(
                [p.meeting for p in asked if p.meeting], batch_size=batch
            )
        # The flag the central team's queue reads: the first request of each case.
        first: dict[int, date] = {}
        for p in asked:
            day = first.get(p.case.pk)
            if day is None or p.request.requested_on < day:
                first[p.case.pk] = p.request.requested_on
        flagged = []
        for p in asked:
            if p.case.disclosure_requested_on != first[p.case.pk]:
                p.case.disclosure_requested_on = first[p.case.pk]
                flagged.append(p.case)
        Case.objects.bulk_update(flagged, ["disclosure_requested_on"], batch_size=batch)
        return {
            "victims and family members": len(people),
            "entitlement tasks": sum(1 for p in people if p.task),
            "contact attempts": sum(len(p.contacts) for p in people),
            "disclosure requests": len(asked),
            "vulnerability assessments": sum(1 for p in asked if p.assessment),
            "disclosure meetings": sum(1 for p in asked if p.meeting),
        }

    # --- Summary --------------------------------------------------------------------------------

    def summary(self) -> list[str]:
        c = self.counts
        if not c["people"]:
            return []

        def share(count: int, of: int) -> str:
            return f"{100 * count / of:.0f}%" if of else "n/a"

        return [
            f"Victims and families: {c['people']} people on {c['cases']} cases "
            f"({share(c['family'], c['people'])} family members); {c['tasks']} entitlement "
            f"tasks, {c['told']} told ({share(c['told in time'], c['told'])} within the clock)",
            f"  {c['requests']} requests for disclosure ({share(c['requests'], c['told'])} of "
            f"those told): {c['assessments']} assessed, {c['signed off']} signed off, "
            f"{c['deferred']} deferred, {c['meetings']} meetings ({c['feedback']} with "
            f"feedback), {c['declined']} ended without disclosure",
        ]
