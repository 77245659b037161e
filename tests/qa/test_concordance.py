# ruff: noqa: F811
"""The concordance of the independent and the central ratings (the inspection's tables 4.6 and
4.7): both distributions, agreement and Cohen's kappa over the administrator's mapping, checked
against a hand-computed 46-review example; not applicable where the mapping is missing; and the
report of a sample as a page, a CSV and a PDF, per provider and overall."""

import csv
import io
import subprocess
from types import SimpleNamespace

import pytest
from django.urls import reverse

from qa import concordance_pdf
from qa.concordance import NO_MAPPING, concordance, sample_concordance
from qa.models import IndependentAssessment, IndependentStatus, ScaleMapping, ScaleUse
from sfo.documents import services as documents
from sfo.documents.models import DocumentJob, JobStatus
from sfo.people.roles import Role
from tests.qa.conftest import submitted_case
from tests.qa.test_sampling import (
    another_case_rated_like,
    assessors,
    complete_central_qa,
    draw,
    level,
)
from tests.reviews.conftest import murder, world  # noqa: F401

G, S, RI = "Good", "Satisfactory", "Requires improvement"
CENTRAL = [G, S, RI]

# Central (rows) against independent (columns), G / S / RI. The margins are the inspection's
# table 4.6: central RI/S/G 22/7/17, independent 24/8/14; the diagonal 13 + 5 + 20 = 38.
MATRIX_46 = {
    G: {G: 13, S: 2, RI: 2},  # 17
    S: {G: 0, S: 5, RI: 2},  # 7
    RI: {G: 1, S: 1, RI: 20},  # 22
}  # columns: 14, 8, 24


def pairs_of(matrix, rename=None):
    rename = rename or {}
    return [
        (central, rename.get((central, independent), independent))
        for central, row in matrix.items()
        for independent, count in row.items()
        for _ in range(count)
    ]


def test_the_46_reviews_of_table_4_6_on_the_same_three_levels():
    """Hand-computed, with n = 46:

    agreement po = (13 + 5 + 20) / 46 = 38 / 46 = 0.8261 (82.6%)
    chance pe = (17 × 14 + 7 × 8 + 22 × 24) / 46² = (238 + 56 + 528) / 2116 = 822 / 2116 = 0.3885
    kappa = (po − pe) / (1 − pe) = (1748 − 822) / (2116 − 822) = 926 / 1294 = 0.7156
    """
    result = concordance(pairs_of(MATRIX_46), CENTRAL, CENTRAL, {k: k for k in CENTRAL})

    assert result.pairs == 46
    assert [(s.label, s.count) for s in result.central] == [(G, 17), (S, 7), (RI, 22)]
    assert [(s.label, s.count) for s in result.independent] == [(G, 14), (S, 8), (RI, 24)]
    assert [round(s.percent, 1) for s in result.central] == [37.0, 15.2, 47.8]
    assert [round(s.percent, 1) for s in result.independent] == [30.4, 17.4, 52.2]
    assert result.agreeing == 38
    assert result.agreement == pytest.approx(38 / 46)
    assert round(result.agreement_percent, 1) == 82.6
    assert result.expected == pytest.approx(822 / 2116)
    assert result.kappa == pytest.approx(926 / 1294)
    assert round(result.kappa, 2) == 0.72
    assert result.matrix == [[13, 2, 2], [0, 5, 2], [1, 1, 20]]
    assert result.reason == ""


def test_the_same_46_reviews_rated_on_four_levels_and_mapped():
    """The independent scale has four levels: Outstanding and Good both count as Good, Adequate
    as Satisfactory, Inadequate as Requires improvement. Mapped, the pairs are those above, so
    agreement and kappa are the same; the independent distribution is on its own scale."""
    levels = [SimpleNamespace(pk=k, label=k) for k in ("Outstanding", "Good+", "Adequate", "Poor")]
    central = [SimpleNamespace(pk=k, label=k) for k in CENTRAL]
    mapping = {"Outstanding": G, "Good+": G, "Adequate": S, "Poor": RI}
    pairs = []
    for central_label, independent in pairs_of(MATRIX_46):
        own = {G: "Good+", S: "Adequate", RI: "Poor"}[independent]
        pairs.append((central_label, own))
    # Four of the independent Goods were Outstanding.
    outstanding = [i for i, (_, own) in enumerate(pairs) if own == "Good+"][:4]
    for i in outstanding:
        pairs[i] = (pairs[i][0], "Outstanding")

    result = concordance(pairs, central, levels, mapping)

    assert [(s.label, s.count) for s in result.independent] == [
        ("Outstanding", 4),
        ("Good+", 10),
        ("Adequate", 8),
        ("Poor", 24),
    ]
    assert [(s.label, s.count) for s in result.mapped] == [(G, 14), (S, 8), (RI, 24)]
    assert (result.agreeing, result.kappa) == (38, pytest.approx(926 / 1294))


def test_agreement_and_kappa_are_not_applicable_without_a_mapping():
    result = concordance(pairs_of(MATRIX_46), CENTRAL, CENTRAL, {})

    assert result.agreement is None and result.kappa is None and result.agreeing is None
    assert result.reason == NO_MAPPING
    assert [s.count for s in result.central] == [17, 7, 22]  # still shown
    assert [s.count for s in result.independent] == [14, 8, 24]


def test_not_applicable_when_a_level_used_has_no_mapping():
    result = concordance(pairs_of(MATRIX_46), CENTRAL, CENTRAL, {G: G, RI: RI})
    assert result.kappa is None and result.agreement is None
    assert "Satisfactory has no level on the central scale" in result.reason

    # A level nobody used may stay unmapped.
    only_used = [(c, i) for c, i in pairs_of(MATRIX_46) if i != S]
    assert concordance(only_used, CENTRAL, CENTRAL, {G: G, RI: RI}).kappa is not None


def test_kappa_is_not_defined_when_everything_is_in_one_level():
    result = concordance([(G, G)] * 5, CENTRAL, CENTRAL, {k: k for k in CENTRAL})
    assert result.agreement == 1 and result.kappa is None
    assert "not defined" in result.reason


def test_no_pairs_yet():
    result = concordance([], CENTRAL, CENTRAL, {k: k for k in CENTRAL})
    assert result.pairs == 0 and result.kappa is None
    assert [s.percent for s in result.central] == [None, None, None]


# --- A sample's report --------------------------------------------------------------------------


def rate(assignment, review: str, plan: str):
    """The assessor's assessment, submitted (written directly: the services have tests of their
    own)."""
    return IndependentAssessment.objects.create(
        assignment=assignment,
        status=IndependentStatus.SUBMITTED,
        review_rating=level(ScaleUse.INDEPENDENT, review),
        action_plan_rating=level(ScaleUse.INDEPENDENT, plan),
    )


@pytest.fixture
def report_sample(world, murder):
    """Five reviews rated by both: three of NPS London, two of NPS Wales. With the seeded mapping
    (Outstanding and Good → Good; Requires improvement and Inadequate → Requires improvement)."""
    a, b = world["a"]["provider"], world["b"]["provider"]
    template = submitted_case(world, murder)
    complete_central_qa(template, review=G, plan=G)
    another_case_rated_like(template, a, review=RI, plan=S)
    another_case_rated_like(template, a, review=S, plan=S)
    another_case_rated_like(template, b, review=G, plan=RI)
    another_case_rated_like(template, b, review=RI, plan=RI)
    admin = world["central"][Role.ADMINISTRATOR]
    sample = draw(admin, assessors(1), proportion=1, seed=11)
    ratings = {
        # central (review, plan) → independent (review, plan)
        (G, G): ("Outstanding", "Good"),
        (RI, S): ("Inadequate", "Requires improvement"),
        (S, S): ("Good", "Good"),
        (G, RI): ("Good", "Inadequate"),
        (RI, RI): ("Requires improvement", "Requires improvement"),
    }
    for assignment in sample.assignments.select_related(
        "central_assessment__review_rating", "central_assessment__action_plan_rating"
    ):
        central = assignment.central_assessment
        rate(assignment, *ratings[central.review_rating.label, central.action_plan_rating.label])
    return sample


def test_a_samples_report_overall_and_per_provider(report_sample, world):
    report = sample_concordance(report_sample)

    review, plan = (t["result"] for t in report["overall"])
    # Review: central G, RI, S, G, RI; mapped independent G, RI, G, G, RI → agree on 4 of 5.
    assert [s.count for s in review.central] == [2, 1, 2]
    assert [s.count for s in review.independent] == [1, 2, 1, 1]
    assert review.agreeing == 4
    # po = 4/5; pe = (2×3 + 1×0 + 2×2)/25 = 10/25; kappa = (0.8 − 0.4)/(1 − 0.4) = 2/3.
    assert review.kappa == pytest.approx(2 / 3)
    # Plan: central G, S, S, RI, RI; mapped G, RI, G, RI, RI → agree on 3 of 5.
    assert plan.agreeing == 3
    london, wales = report["providers"]
    assert london["provider"] == world["a"]["provider"]
    assert london["tables"][0]["result"].pairs == 3
    assert wales["tables"][0]["result"].agreeing == 2  # G–Good, RI–RI


def test_the_report_is_not_applicable_once_a_used_level_is_unmapped(report_sample):
    ScaleMapping.objects.filter(independent_level__label="Outstanding").delete()

    review, plan = (t["result"] for t in sample_concordance(report_sample)["overall"])

    assert review.kappa is None and "Outstanding has no level" in review.reason
    assert plan.kappa is not None  # nobody rated an action plan Outstanding


def test_the_report_page_and_csv(client, report_sample, world):
    client.force_login(world["central"][Role.ANALYST])

    page = client.get(reverse("qa:concordance", args=[report_sample.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "4 of 5 (80.0%)" in text
    assert "0.67" in text
    assert "NPS London" in text and "NPS Wales" in text
    assert text.count("<h1") == 1

    download = client.get(reverse("qa:concordance_csv", args=[report_sample.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    header, overall_review = rows[0], rows[1]
    assert header[:3] == ["Provider", "Ratings", "Assessments"]
    assert overall_review[:3] == ["All providers", "Review ratings", "5"]
    cell = dict(zip(header, overall_review, strict=True))
    assert cell["Agreeing (n)"] == "4"
    assert cell["Cohen's kappa"] == "0.67"
    assert cell["Central: Good (n)"] == "2"
    assert cell["Independent: Outstanding (n)"] == "1"
    assert len(rows) == 1 + 2 * 3  # overall and two providers, two ratings each


def test_the_csv_says_why_where_not_applicable(client, report_sample, world):
    ScaleMapping.objects.all().delete()
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])

    page = client.get(reverse("qa:concordance", args=[report_sample.pk])).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("qa:concordance_csv", args=[report_sample.pk])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )

    assert "n/a" in page and NO_MAPPING in page
    cell = dict(zip(rows[0], rows[1], strict=True))
    assert cell["Cohen's kappa"] == "" and cell["Not applicable because"] == NO_MAPPING


@pytest.fixture
def registered():
    concordance_pdf.register()


def test_the_report_as_a_pdf(client, report_sample, world, registered, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chief = world["central"][Role.CHIEF_OFFICER]
    client.force_login(chief)

    response = client.post(reverse("qa:concordance_pdf", args=[report_sample.pk]))

    job = DocumentJob.objects.get(kind="concordance")
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert job.params == {"sample": report_sample.pk}
    documents.run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    text = " ".join(
        subprocess.run(
            ["pdftotext", job.file.path, "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert "Concordance of independent and central QA" in text
    assert "4 of 5 (80.0%)" in text and "0.67" in text
    assert "NPS Wales" in text
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 200

    # Never an assessor: they must not see central ratings.
    assessor = report_sample.assignments.first().assessor
    client.force_login(assessor)
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 403
    assert client.post(reverse("qa:concordance_pdf", args=[report_sample.pk])).status_code == 403
