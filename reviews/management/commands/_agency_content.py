"""The other agencies of the synthetic national dataset (issue 8, recommendations 5 and 6): for
every case a reviewer has been allocated to, the agencies involved and what they did, the
requests for their contribution and what came back, the review's external actions (and the
findings they answer) linked to the agency they name, the extracts sent, and the parallel
reviews. Deterministic from the seed (each case its own stream, from `Plan.content_seed`) and
written in bulk, a few inserts per table.

The shares, and the assumptions behind them (the inspection gives only the 6% of actions that
named an external agency, which `_review_content` writes, and the 9% of cases with a MAPPA
serious case review):

- Agencies per case: the police nearly always (92%; the force the case names, from the
  register); children's services 35%, the mental health trust 30%, housing 20%, GP and hospital
  services 15%, the drug and alcohol service 15%, adult social care 10%; the youth offending team
  for 20% of those under 25 at the offence, 2% of others; MAPPA's board for 60% of MAPPA cases.
  Every agency an external action of the review names is involved.
- Requests: 75% of the agencies involved are asked for their contribution 5 to 25 days after
  allocation, with 15 to 25 days to reply. Of those whose reply was due by today: received 70%
  (5 to 30 days after the request), declined 8%, no reply 12%, still awaited (overdue) 10%; of
  those not yet due, 30% have answered already, the rest are awaited.
- Links: each external action to the agency it names, with the finding it answers; and one
  finding of the review to the police in a quarter of the cases with findings.
- Extracts sent: half of the agencies with links, on cases whose review was submitted to the
  central team, 5 to 40 days after the submission, recorded against that version (no PDF: the
  dataset makes no document jobs).
- Parallel reviews (quotas over the cases, so that a small dataset has some): MAPPA serious case
  review 9%, domestic homicide review 4%, child safeguarding practice review 2%, safeguarding
  adult review 1%; commissioned 20 to 90 days after the offence, expected 6 to 12 months later,
  completed when that is past in 70% of them.

The reviews app must not import `agencies` at module level (dependencies point reviews -> qa ->
victims -> agencies): this module imports it inside its functions, as `_victim_content` does."""

import random
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.utils import timezone

from reviews.management.commands._timestamps import given_times
from reviews.models import ActionLevel, ReviewAction, ReviewVersion, VersionPurpose

INVOLVED = {
    "childrens_services": 0.35,
    "mental_health": 0.30,
    "housing": 0.20,
    "health": 0.15,
    "substance_misuse": 0.15,
    "adult_social_care": 0.10,
}
POLICE_SHARE = 0.92
REQUEST_SHARE = 0.75
DUE_OUTCOMES = {"received": 70, "declined": 8, "no_reply": 12, "awaited": 10}
PARALLEL = {"mappa_scr": 9, "dhr": 4, "cspr": 2, "sar": 1, "none": 84}
# How `_review_phrases.AGENCIES` names an agency in an external action, to the register's kind.
NAMED = {
    "housing": "housing",
    "mental health": "mental_health",
    "drug and alcohol": "substance_misuse",
    "youth offending": "youth_offending",
    "children's services": "childrens_services",
}
ROLES = {
    "police": [
        "Domestic abuse call-outs to the address in the year before the offence.",
        "Arrested him twice during the supervision; shared the intelligence with the offender "
        "manager.",
        "Managed him as an integrated offender; home visits with probation.",
    ],
    "childrens_services": [
        "A child in need plan for the partner's children; attended one strategy meeting.",
        "Safeguarding enquiry after a referral by the offender manager.",
    ],
    "mental_health": [
        "Assessed him after a crisis presentation; discharged to his GP.",
        "Care coordination by the community mental health team.",
    ],
    "housing": ["Emergency accommodation after release; two moves in three months."],
    "health": ["His GP prescribed for depression and referred him to talking therapies."],
    "substance_misuse": ["Opiate substitute prescribing and key work; missed appointments."],
    "adult_social_care": ["A care act assessment of his mother, with whom he lived."],
    "youth_offending": ["Supervised him before he turned 18; shared the transition plan."],
    "mappa": ["Level 2 MAPPA meetings during the supervision."],
}
ASKED = [
    "Its records of contact with him in the two years before the offence.",
    "A chronology of its involvement, and an interview with the worker who knew him best.",
    "The minutes of the meetings it held about him, and its risk assessments.",
]
SUMMARIES = [
    "Three call-outs to the address; a DASH assessment rated the risk high and was not shared.",
    "Its chronology matches ours; it had no contact in the last six months.",
    "Records sent; the worker was interviewed on the telephone.",
]
DECLINED = ["Declined: it has opened a review of its own and will share it when complete."]
RECIPIENTS = [
    ("Jo Khan", "Detective inspector, public protection unit"),
    ("Sam Patel", "Head of service, safeguarding"),
    ("Alex Morgan", "Serious incident review lead"),
]
LEAD_BODIES = {
    "mappa_scr": "The MAPPA strategic management board",
    "dhr": "The community safety partnership",
    "cspr": "The local safeguarding children partnership",
    "sar": "The safeguarding adults board",
}
SHARING = [
    "The SFO chronology is shared with the panel; one joint interview with the offender manager.",
    "The chair reads the SFO review before the panel meets; findings are not repeated.",
]
MEANS = {"secure_email": 75, "meeting": 15, "post": 10}


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


def kind_named(text: str) -> str | None:
    """The register's kind of the agency an external action names ("the community mental
    health team" is the mental health trust); None for a police force (named as itself)."""
    lowered = text.casefold()
    for words, kind in NAMED.items():
        if words in lowered:
            return kind
    return None


def delete_agencies(case_ids) -> int:
    """Delete the agencies' rows of these (synthetic) cases, before their reviews go (a link
    names a finding or an action, a share a version). The log of extracts sent is append-only:
    its trigger is lifted for this delete alone, as only this command may delete it."""
    import pgtrigger

    from agencies.models import (
        ActionConcern,
        AgencyInvolvement,
        ContributionRequest,
        ExtractShare,
        FindingConcern,
        ParallelReview,
    )

    involvements = AgencyInvolvement.objects.filter(case__in=case_ids)
    with pgtrigger.ignore("agencies.ExtractShare:extract_share_undeletable"):
        deleted = ExtractShare.objects.filter(involvement__in=involvements).delete()[0]
    deleted += FindingConcern.objects.filter(involvement__in=involvements).delete()[0]
    deleted += ActionConcern.objects.filter(involvement__in=involvements).delete()[0]
    deleted += ContributionRequest.objects.filter(involvement__in=involvements).delete()[0]
    deleted += involvements.delete()[0]
    deleted += ParallelReview.objects.filter(case__in=case_ids).delete()[0]
    return deleted


class AgencyContent:
    """Writes the agencies involved in the cases, their requests, links, shares and the parallel
    reviews."""

    def __init__(self, *, seed: int, today: date):
        self.seed, self.today = seed, today
        self.counts: Counter = Counter()

    def write(self, plans, batch: int) -> dict[str, int]:
        """Plan and write the agencies of cases already written (their reviews too)."""
        from agencies.models import (
            ActionConcern,
            Agency,
            AgencyInvolvement,
            ContributionRequest,
            ExtractShare,
            FindingConcern,
            ParallelReview,
        )

        allocated = [p for p in plans if p.case.reviewer_id and "allocate" in p.days]
        case_ids = [p.case.pk for p in allocated]
        register = list(Agency.objects.filter(active=True))
        by_name = {a.name: a for a in register}
        by_kind_area: dict[tuple[str, str], Agency] = {}
        for agency in register:
            by_kind_area.setdefault((agency.kind, agency.area), agency)
        external: dict[int, list[tuple[int, str, int | None]]] = {}
        for pk, case_id, named, finding_id in ReviewAction.objects.filter(
            review__case__in=case_ids, level=ActionLevel.EXTERNAL
        ).values_list("pk", "review__case_id", "agency", "finding_id"):
            external.setdefault(case_id, []).append((pk, named, finding_id))
        findings: dict[int, list[int]] = {}
        from reviews.models import Finding

        for pk, case_id in Finding.objects.filter(review__case__in=case_ids).values_list(
            "pk", "review__case_id"
        ):
            findings.setdefault(case_id, []).append(pk)
        submitted: dict[int, tuple[int, datetime]] = {}
        for pk, case_id, at in (
            ReviewVersion.objects.filter(review__case__in=case_ids, purpose=VersionPurpose.CENTRAL)
            .order_by("number")
            .values_list("pk", "review__case_id", "created_at")
        ):
            submitted[case_id] = (pk, at)  # the latest wins

        involvements, requests, finding_links, action_links, shares = [], [], [], [], []
        for plan in allocated:
            case = plan.case
            rng = random.Random(f"agencies {plan.content_seed}")  # noqa: S311 - test data
            area = case.managing_provider.area
            start = plan.days["allocate"]
            chosen: dict[int, object] = {}

            def involve(agency, kind, case=case, rng=rng, start=start, chosen=chosen):
                if agency is None or agency.pk in chosen:
                    return chosen.get(getattr(agency, "pk", None))
                row = AgencyInvolvement(
                    case=case,
                    agency=agency,
                    role=rng.choice(ROLES.get(kind, ROLES["police"])),
                    added_by=case.reviewer,
                    added_at=stamp(rng, min(start + timedelta(rng.randint(1, 20)), self.today)),
                )
                chosen[agency.pk] = row
                return row

            police = by_name.get(case.police_force) or by_kind_area.get(("police", area))
            police_row = involve(police, "police") if rng.random() < POLICE_SHARE else None
            for kind, share in INVOLVED.items():
                if rng.random() < share:
                    involve(by_kind_area.get((kind, area)), kind)
            age = (
                (case.offence_date - case.date_of_birth).days // 365
                if case.offence_date and case.date_of_birth
                else 30
            )
            if rng.random() < (0.20 if age < 25 else 0.02):
                involve(by_kind_area.get(("youth_offending", area)), "youth_offending")
            if case.mappa_level and rng.random() < 0.6:
                involve(by_kind_area.get(("mappa", area)), "mappa")
            # Every agency an external action names is involved, and the action linked to it.
            for action_id, named, finding_id in external.get(case.pk, []):
                kind = kind_named(named)
                agency = by_kind_area.get((kind, area)) if kind else by_name.get(named) or police
                row = involve(agency, kind or "police")
                if row is None:
                    continue
                action_links.append((row, action_id))
                if finding_id:
                    finding_links.append((row, finding_id))
            if police_row is not None and findings.get(case.pk) and rng.random() < 0.25:
                finding_links.append((police_row, rng.choice(findings[case.pk])))
            rows = list(chosen.values())
            involvements += rows
            self.counts["cases"] += 1
            self.counts["police"] += police_row is not None
            for row in rows:
                if rng.random() >= REQUEST_SHARE:
                    continue
                asked_on = min(start + timedelta(rng.randint(5, 25)), self.today)
                due = asked_on + timedelta(rng.randint(15, 25))
                outcome = (
                    weighted(rng, DUE_OUTCOMES)
                    if due <= self.today
                    else ("received" if rng.random() < 0.3 else "awaited")
                )
                received = None
                summary = ""
                if outcome == "received":
                    received = min(asked_on + timedelta(rng.randint(5, 30)), self.today)
                    summary = rng.choice(SUMMARIES)
                elif outcome == "declined":
                    summary = rng.choice(DECLINED)
                requests.append(
                    ContributionRequest(
                        involvement=row,
                        asked=rng.choice(ASKED),
                        requested_on=asked_on,
                        requested_by=case.reviewer,
                        due_on=due,
                        outcome=outcome,
                        received_on=received,
                        summary=summary,
                        updated_by=case.reviewer,
                        updated_at=stamp(rng, received or asked_on),
                    )
                )
                self.counts[f"requests {outcome}"] += 1
                self.counts["overdue"] += outcome == "awaited" and due < self.today
            linked = {id(row) for row, _ in action_links + finding_links}
            if case.pk in submitted:
                version_id, at = submitted[case.pk]
                for row in rows:
                    if id(row) not in linked or rng.random() >= 0.5:
                        continue
                    sent = timezone.localdate(at) + timedelta(rng.randint(5, 40))
                    if sent > self.today:
                        continue
                    name, role = rng.choice(RECIPIENTS)
                    shares.append(
                        ExtractShare(
                            involvement=row,
                            review_version_id=version_id,
                            recipient_name=name,
                            recipient_role=role,
                            recipient_agency=row.agency.name,
                            means=weighted(rng, MEANS),
                            sent_on=sent,
                            recorded_by=case.reviewer,
                            recorded_at=stamp(rng, sent),
                        )
                    )

        parallel = self.parallel_reviews(allocated, ParallelReview)
        timed = [
            (AgencyInvolvement, "added_at"),
            (ContributionRequest, "updated_at"),
            (ExtractShare, "recorded_at"),
            (ParallelReview, "updated_at"),
        ]
        with given_times([model._meta.get_field(name) for model, name in timed]):
            AgencyInvolvement.objects.bulk_create(involvements, batch_size=batch)
            ContributionRequest.objects.bulk_create(requests, batch_size=batch)
            FindingConcern.objects.bulk_create(
                [FindingConcern(involvement=r, finding_id=f) for r, f in finding_links],
                batch_size=batch,
                ignore_conflicts=True,
            )
            ActionConcern.objects.bulk_create(
                [ActionConcern(involvement=r, action_id=a) for r, a in action_links],
                batch_size=batch,
                ignore_conflicts=True,
            )
            ExtractShare.objects.bulk_create(shares, batch_size=batch)
            ParallelReview.objects.bulk_create(parallel, batch_size=batch)
        self.counts["involvements"] = len(involvements)
        self.counts["external actions linked"] = len(action_links)
        self.counts["shares"] = len(shares)
        return {
            "agencies involved": len(involvements),
            "contribution requests": len(requests),
            "findings linked to an agency": len(finding_links),
            "actions linked to an agency": len(action_links),
            "extracts sent": len(shares),
            "parallel reviews": len(parallel),
        }

    def parallel_reviews(self, allocated, model) -> list:
        master = random.Random(f"parallel reviews {self.seed}")  # noqa: S311 - test data
        rows = []
        for plan, kind in zip(
            allocated, quota_labels(master, len(allocated), PARALLEL), strict=True
        ):
            if kind == "none":
                continue
            case = plan.case
            rng = random.Random(f"parallel {plan.content_seed}")  # noqa: S311
            base = case.offence_date or case.first_hearing_date
            commissioned = base + timedelta(rng.randint(20, 90))
            if commissioned > self.today:
                continue
            expected = commissioned + timedelta(rng.randint(180, 365))
            completed = (
                expected - timedelta(rng.randint(0, 30))
                if expected < self.today and rng.random() < 0.7
                else None
            )
            rows.append(
                model(
                    case=case,
                    kind=kind,
                    lead_body=f"{LEAD_BODIES[kind]}, {case.managing_provider.area}",
                    reference=f"{kind.upper()}-{commissioned.year}-{rng.randint(1, 99):02d}",
                    commissioned_on=commissioned,
                    expected_on=expected,
                    completed_on=completed,
                    contact=rng.choice(RECIPIENTS)[0],
                    sharing=rng.choice(SHARING),
                    added_by=case.reviewer,
                    updated_at=stamp(rng, completed or commissioned),
                )
            )
            self.counts[kind] += 1
        return rows

    def summary(self) -> list[str]:
        c = self.counts
        if not c["cases"]:
            return []

        def share(count: int, of: int) -> str:
            return f"{100 * count / of:.0f}%" if of else "n/a"

        answered = sum(c[f"requests {o}"] for o in DUE_OUTCOMES)
        return [
            f"Other agencies: {c['involvements']} involved in {c['cases']} cases (police in "
            f"{share(c['police'], c['cases'])}); {answered} requests for a contribution "
            f"({c['requests received']} received, {c['requests declined']} declined, "
            f"{c['requests no_reply']} no reply, {c['requests awaited']} awaited of which "
            f"{c['overdue']} overdue); {c['external actions linked']} external actions linked; "
            f"{c['shares']} extracts sent",
            f"  Parallel reviews: {c['mappa_scr']} MAPPA serious case reviews "
            f"({share(c['mappa_scr'], c['cases'])}), {c['dhr']} domestic homicide reviews, "
            f"{c['cspr']} child safeguarding practice reviews, {c['sar']} safeguarding adult "
            "reviews",
        ]
