"""The synthetic national dataset: the 2018/19 mix, reproducible from its seed, with references
and clocks that later real work can live beside; and for every case a reviewer has been allocated
to, its review, chronology, key findings, action plan, frozen versions and local QA check, in the
shares the inspection found."""

import dataclasses
import hashlib
import io
import string
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import InternalError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from reviews.authoring import snapshot
from reviews.journeys import PATHS
from reviews.management.commands import _review_phrases as phrases
from reviews.models import (
    ActionLevel,
    ActionStatus,
    Case,
    CaseTransition,
    ChronologyEntry,
    Finding,
    FindingKind,
    LocalQACheck,
    ReferenceCounter,
    Review,
    ReviewAction,
    ReviewSection,
    ReviewVersion,
    SectionKey,
    SectionStatus,
    Standard,
    VersionPurpose,
)
from sfo.clocks.models import OPEN_STATUSES, Clock

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national_dataset", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())


def synthetic():
    return Case.objects.filter(crn__startswith="S")


def share(part, whole) -> float:
    return 100 * part.count() / whole.count()


def test_it_generates_the_cases_in_the_2018_19_mix(demo):
    demo_cases = set(Case.objects.values_list("pk", flat=True))
    summary = generate("--years", str(YEAR), "--per-year", "300", "--seed", "2018")
    cases = synthetic()
    assert cases.count() == 300
    assert "Synthetic national dataset: 300 cases" in summary
    assert share(cases.filter(charged_offences__offence__category="violent"), cases) == (
        pytest.approx(68, abs=3)
    )
    assert share(cases.filter(managing_provider__kind="probation_division"), cases) == (
        pytest.approx(60, abs=3)
    )
    notified = cases.exclude(qualification="")
    assert share(notified.filter(qualification="automatic"), notified) == pytest.approx(77, abs=3)
    registered = cases.exclude(reference=None)
    assert share(registered.filter(high_profile=True), registered) == pytest.approx(14, abs=3)
    # Old enough to have moved on: no case of last year is still waiting for its notification.
    assert not cases.filter(state="identified").exists()
    assert set(Case.objects.exclude(crn__startswith="S").values_list("pk", flat=True)) == (
        demo_cases
    )

    # Each case went along the path of its state, one transition after another.
    for case in cases.prefetch_related("transitions")[:60]:
        names = [t.name for t in case.transitions.all()]
        assert names == ["identify", *PATHS[case.state]]

    # References are unique, and the counters are past them, so a real registration is safe.
    references = list(Case.objects.exclude(reference=None).values_list("reference", flat=True))
    assert len(references) == len(set(references))
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    for reference in references:
        _, year, number = reference.split("-")
        assert counters[int(year)] >= int(number)

    # One open clock per case and kind at most (the database refuses more; this says so).
    doubled = (
        Clock.objects.filter(status__in=OPEN_STATUSES)
        .values("case", "kind")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not doubled.exists()
    # Ended cases have no clock running; open ones keep theirs.
    assert not Clock.objects.filter(
        Q(case__state__in=["closed", "rejected", "discontinued"]), status__in=OPEN_STATUSES
    ).exists()


def test_the_same_seed_gives_the_same_cases(demo):
    def listing():
        cases = list(
            synthetic()
            .order_by("crn")
            .values_list("crn", "state", "managing_provider__code", "charged_offences__offence")
        )
        return cases, review_listing()

    generate("--years", str(YEAR), "--per-year", "120", "--seed", "7")
    first = listing()
    with pytest.raises(CommandError, match="--replace"):
        generate("--years", str(YEAR), "--per-year", "120", "--seed", "7")
    # Replacing deletes the reviews too, their immutable versions included, and makes them again
    # the same: text, chronology, findings, actions, versions.
    generate("--years", str(YEAR), "--per-year", "120", "--seed", "7", "--replace")
    assert listing() == first
    cases, reviews = first
    assert len(cases) == 120 and len(reviews) > 60
    generate("--years", str(YEAR), "--per-year", "120", "--seed", "8", "--replace")
    assert listing()[1] != reviews


def test_it_needs_the_demo_organisations_and_people(db):
    with pytest.raises(CommandError, match="load_demo_data"):
        generate("--years", str(YEAR), "--per-year", "10")


# --- The reviews ------------------------------------------------------------------------------

# Today's year and the last: whatever the date, cases in every state from identification to
# closure, drafts and submitted reviews among them.
YEARS = [str(YEAR), str(YEAR + 1)]


def transitions_of(name):
    """{case id: when} for the synthetic cases that made transition `name`."""
    return dict(
        CaseTransition.objects.filter(case__in=synthetic(), name=name).values_list("case", "at")
    )


def without_ids(frozen: dict, positions: dict) -> dict:
    """A snapshot with its database ids taken out and findings named by their position."""
    rows = {}
    for part in ("findings", "chronology", "actions"):
        rows[part] = [
            {
                **{k: v for k, v in row.items() if k not in ("id", "finding_id")},
                "finding": positions.get(row.get("finding_id")),
            }
            for row in frozen[part]
        ]
    return {**frozen, **rows}


def review_listing():
    """Everything the reviews hold, without database ids, in a stable order."""

    def digest(*texts):
        return hashlib.sha256("\x00".join(map(str, texts)).encode()).hexdigest()[:16]

    rows = []
    for review in (
        Review.objects.filter(case__in=synthetic())
        .order_by("case__crn")
        .prefetch_related("sections", "findings", "chronology", "actions", "versions")
    ):
        findings = {f.pk: f.position for f in review.findings.all()}
        versions = [
            (v.number, v.purpose, v.created_at, digest(without_ids(v.snapshot, findings)))
            for v in review.versions.all()
        ]
        rows.append(
            (
                review.case.crn,
                review.review_period_start,
                review.all_reasonable_steps,
                digest(review.judgement_reasons),
                sorted((s.key, s.status, digest(s.text)) for s in review.sections.all()),
                [(f.position, f.kind, f.dissemination, f.title) for f in review.findings.all()],
                [
                    (e.occurred_on, e.source, e.significant, digest(e.event, e.emerging_issue))
                    + (findings.get(e.finding_id),)
                    for e in review.chronology.all()
                ],
                [
                    (
                        a.level,
                        a.agency,
                        a.due_on,
                        a.status,
                        a.verified_at,
                        findings.get(a.finding_id),
                    )
                    for a in review.actions.all()
                ],
                versions,
            )
        )
    return rows


def words(text: str) -> int:
    return len(text.split())


def test_every_case_allocated_to_a_reviewer_has_its_review(demo):
    summary = generate("--years", *YEARS, "--per-year", "150", "--seed", "2018")
    allocated = transitions_of("allocate")
    sent = transitions_of("send_to_local_qa")
    reviews = Review.objects.filter(case__in=synthetic())
    assert set(reviews.values_list("case", flat=True)) == set(allocated)
    assert len(allocated) > 100 and sent and set(allocated) - set(sent)  # drafts among them
    assert f"{len(allocated)} reviews" in summary

    # Every section of the task list, completed once the review went to local QA; a draft has
    # some done, some started and some not yet (text only where started).
    sections = ReviewSection.objects.filter(review__in=reviews)
    assert sections.count() == len(allocated) * len(SectionKey)
    assert not sections.filter(review__case__in=sent).exclude(status="completed").exists()
    drafts = sections.exclude(review__case__in=sent)
    assert set(drafts.values_list("status", flat=True)) == set(SectionStatus.values)
    assert not drafts.filter(status="not_started").exclude(text="").exists()
    assert not sections.filter(status="completed", key="methodology", text="").exists()
    methodology = sections.filter(key="methodology", status="completed").first().text
    assert "The reviewer interviewed" in methodology and "The reviewer read" in methodology

    # The judgement, with its reasons, on every review sent for local QA; some drafts lack it.
    assert (
        not reviews.filter(case__in=sent)
        .filter(Q(all_reasonable_steps="") | Q(judgement_reasons=""))
        .exists()
    )
    assert reviews.exclude(case__in=sent).filter(all_reasonable_steps="").exists()
    judged = Counter(reviews.filter(case__in=sent).values_list("all_reasonable_steps", flat=True))
    assert set(judged) == {"yes", "no"}

    # The review period starts one to two years before the offence.
    for start, offence in reviews.values_list("review_period_start", "case__offence_date"):
        assert timedelta(days=365) <= offence - start <= timedelta(days=730)

    # Multi-agency working thin (under the coach's 150 words) in most reviews, as the inspection
    # found it sufficiently addressed in 39%; some reviews long.
    finished = sections.filter(review__case__in=sent)
    multi_agency = [
        words(t) for t in finished.filter(key="multi_agency").values_list("text", flat=True)
    ]
    thin = sum(1 for n in multi_agency if n < 150) / len(multi_agency)
    assert thin == pytest.approx(0.61, abs=0.12)
    assert all(n > 0 for n in multi_agency)
    lengths = defaultdict(int)
    for review, text in finished.values_list("review", "text"):
        lengths[review] += words(text)
    assert min(lengths.values()) > 500
    assert max(lengths.values()) > 2.5 * sorted(lengths.values())[len(lengths) // 2]


def test_chronologies_findings_and_action_plans_have_the_inspections_shape(demo):
    generate("--years", *YEARS, "--per-year", "150", "--seed", "2018")
    today = timezone.localdate()
    sent = transitions_of("send_to_local_qa")
    submitted = transitions_of("countersign_and_submit")
    closed = transitions_of("close")
    reviews = Review.objects.filter(case__in=sent)

    # Chronologies: about 50 entries on average, a long tail, never more than 600.
    counts = list(reviews.annotate(n=Count("chronology")).values_list("n", flat=True))
    assert 35 <= sum(counts) / len(counts) <= 65
    assert min(counts) >= 5 and max(counts) <= 600
    assert max(counts) > 3 * sorted(counts)[len(counts) // 2]
    entries = ChronologyEntry.objects.filter(review__in=reviews)
    assert entries.filter(significant=True).count() / entries.count() == pytest.approx(
        0.25, abs=0.05
    )
    assert not entries.filter(occurred_on__gt=today).exists()
    assert entries.filter(occurred_on__lt=F("review__review_period_start")).exists()
    assert set(entries.values_list("source", flat=True)) >= {"case_record", "oasys", "police"}
    # Emerging issues are those of significant entries; entries support findings of their own
    # review.
    assert not entries.filter(significant=False).exclude(emerging_issue="").exists()
    assert not entries.filter(significant=True, emerging_issue="").exists()
    linked = entries.filter(finding__isnull=False)
    assert linked.exists()
    assert not linked.exclude(finding__review=F("review")).exists()

    # Key findings: two to eight, of every kind; good practice in about 57% of reviews, some of
    # it for dissemination; only good practice is disseminated.
    findings = Finding.objects.filter(review__in=reviews)
    per_review = list(reviews.annotate(n=Count("findings")).values_list("n", flat=True))
    assert min(per_review) >= 2 and max(per_review) <= 8
    assert set(findings.values_list("kind", flat=True)) == set(FindingKind.values)
    with_good = reviews.filter(findings__kind="good_practice").distinct().count()
    assert with_good / reviews.count() == pytest.approx(0.57, abs=0.1)
    assert findings.filter(kind="good_practice").exclude(dissemination="").exists()
    assert not findings.exclude(kind="good_practice").exclude(dissemination="").exists()

    # Action plans: 3 to 12 actions, due after submission; organisational (not only individual)
    # actions in about 70% of plans; about 6% of actions for an external agency, each named.
    actions = ReviewAction.objects.filter(review__in=reviews)
    per_plan = list(reviews.annotate(n=Count("actions")).values_list("n", flat=True))
    assert min(per_plan) >= 3 and max(per_plan) <= 12
    organisational = reviews.filter(actions__in=actions.exclude(level="individual")).distinct()
    assert organisational.count() / reviews.count() == pytest.approx(0.7, abs=0.1)
    external = actions.filter(level=ActionLevel.EXTERNAL)
    assert external.count() / actions.count() == pytest.approx(0.06, abs=0.03)
    assert not external.filter(agency="").exists()
    assert not actions.exclude(level=ActionLevel.EXTERNAL).exclude(agency="").exists()
    for case, due in actions.values_list("review__case", "due_on"):
        if case in submitted:
            assert due > timezone.localtime(submitted[case]).date()
    # Actions move only after submission, further for older cases: all verified at closure,
    # each verified one with its evidence, by whom and when.
    assert not actions.exclude(review__case__in=submitted).exclude(status="open").exists()
    assert not actions.filter(review__case__in=closed).exclude(status="verified").exists()
    verified = actions.filter(status=ActionStatus.VERIFIED)
    assert verified.exists()
    assert not verified.filter(Q(evidence="") | Q(verified_by=None) | Q(verified_at=None)).exists()
    for case, at in verified.values_list("review__case", "verified_at"):
        assert submitted[case] < at <= closed.get(case, timezone.now())
    assert set(actions.values_list("status", flat=True)) == set(ActionStatus.values)


def test_each_submission_froze_a_version_that_cannot_change(demo):
    generate("--years", *YEARS, "--per-year", "150", "--seed", "2018")
    sent = transitions_of("send_to_local_qa")
    passed = transitions_of("pass_local_qa")
    submitted = transitions_of("countersign_and_submit")
    versions = ReviewVersion.objects.filter(review__case__in=synthetic())

    local = dict(
        versions.filter(purpose=VersionPurpose.LOCAL_QA).values_list("review__case", "created_at")
    )
    central = dict(
        versions.filter(purpose=VersionPurpose.CENTRAL).values_list("review__case", "created_at")
    )
    assert local == sent and central == submitted
    assert not versions.filter(purpose=VersionPurpose.LOCAL_QA).exclude(number=1).exists()
    assert not versions.filter(purpose=VersionPurpose.CENTRAL).exclude(number=2).exists()
    assert not versions.exclude(created_by=F("review__case__reviewer")).filter(number=1).exists()

    # Local QA passed each review that went on, against every question of the standards in force.
    checks = LocalQACheck.objects.filter(version__review__case__in=synthetic())
    assert dict(checks.values_list("version__review__case", "at")) == passed
    assert set(checks.values_list("outcome", flat=True)) == {"passed"}
    for check in checks.prefetch_related("answers")[:20]:
        questions = set(
            Standard.objects.filter(standards=check.standards_id).values_list("pk", flat=True)
        )
        assert {a.standard_id for a in check.answers.all()} == questions
    assert checks.filter(answers__answer="yes").exists()
    assert checks.filter(answers__answer__in=["partly", "no"]).exists()

    # The snapshot is what `authoring.snapshot` gives for the review as sent: the same as now for
    # the reviews whose actions have not moved since.
    unmoved = (
        Review.objects.filter(case__in=sent)
        .exclude(actions__status__in=["in_progress", "completed", "verified"])
        .prefetch_related("sections", "findings", "chronology", "actions")
    )
    assert unmoved.exists()
    for review in unmoved[:5]:
        latest = review.versions.order_by("-number").first()
        assert latest.snapshot == snapshot(review)
        assert latest.snapshot["chronology"] and latest.snapshot["actions"]
    # Later, the plan moves on; the version keeps the plan as it was sent.
    moved = ReviewAction.objects.filter(review__case__in=submitted, status="verified").first()
    frozen = moved.review.versions.get(purpose=VersionPurpose.CENTRAL).snapshot
    assert {a["id"]: a["status"] for a in frozen["actions"]}[moved.pk] == "open"

    # Immutable, as the versions the services store.
    # A version no check refers to, nor a redacted copy or an extract sent to another agency,
    # which protect it too.
    from agencies.models import ExtractShare
    from reviews.models import RedactedCopy

    extracts = ExtractShare.objects.exclude(review_version=None)
    shared = list(RedactedCopy.objects.values_list("version_id", flat=True)) + list(
        extracts.values_list("review_version_id", flat=True)
    )
    version = versions.filter(purpose=VersionPurpose.CENTRAL).exclude(pk__in=shared).first()
    with pytest.raises(InternalError, match="Cannot update"), transaction.atomic():
        ReviewVersion.objects.filter(pk=version.pk).update(snapshot={})
    with pytest.raises(InternalError, match="Cannot delete"), transaction.atomic():
        # Its central QA protects it too: out of the way first, so that the trigger is reached.
        version.sample_assignments.all().delete()
        version.qa_assessments.all().delete()
        ReviewVersion.objects.filter(pk=version.pk).delete()


def test_every_phrase_fills_in_from_the_case(db):
    """A misspelt placeholder would fail in a long generation; here it fails at once."""

    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from texts(item)
        elif dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                yield from texts(getattr(value, item.name))

    banks = [
        getattr(phrases, name) for name in dir(phrases) if name.isupper() and name != "PLACEHOLDERS"
    ]
    found = list(texts(banks))
    assert len(found) > 400
    for text in found:
        keys = {key for _, key, _, _ in string.Formatter().parse(text) if key}
        assert keys <= set(phrases.PLACEHOLDERS), text
        text.format_map(phrases.PLACEHOLDERS)
    for theme in phrases.THEMES.values():
        assert len(theme.events) == len(theme.issues), theme.label
        if "external" in theme.actions:
            assert theme.agency, theme.label
