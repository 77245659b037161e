"""Reads for the other agencies' pages: a case's agencies with their requests (each awaited one
red, amber or green against its due date), the extracts sent, and the parallel reviews; in a
fixed number of queries whatever the number of rows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from agencies.models import (
    AgencyInvolvement,
    ContributionOutcome,
    ContributionRequest,
    ExtractShare,
    ParallelReview,
)
from sfo.clocks.selectors import due_status
from sfo.documents.models import DocumentJob, DocumentKind, JobStatus


@dataclass
class RequestRow:
    request: ContributionRequest
    rag: str  # red (overdue), amber, green; "" once answered

    @property
    def overdue(self) -> bool:
        return self.rag == "red"


def request_rows(requests, today: date) -> list[RequestRow]:
    return [
        RequestRow(
            r,
            due_status(r.due_on, today) if r.outcome == ContributionOutcome.AWAITED else "",
        )
        for r in requests
    ]


def involvements_of(case):
    """The case's agencies, each with its requests, links and shares prefetched."""
    return (
        AgencyInvolvement.objects.filter(case=case)
        .select_related("agency", "added_by")
        .prefetch_related(
            Prefetch(
                "requests",
                queryset=ContributionRequest.objects.select_related("requested_by", "updated_by"),
            ),
            Prefetch("shares", queryset=ExtractShare.objects.select_related("recorded_by", "job")),
            "findings",
            "actions",
        )
    )


def parallel_reviews_of(case):
    return ParallelReview.objects.filter(case=case).select_related("added_by")


def extract_jobs(involvement: AgencyInvolvement):
    """The PDFs made of this agency's extract, latest first."""
    return DocumentJob.objects.filter(
        kind=DocumentKind.AGENCY_EXTRACT,
        case_id=involvement.case_id,
        params__involvement=involvement.pk,
    ).order_by("-created_at", "-pk")


def done_extract_jobs(involvement: AgencyInvolvement):
    return extract_jobs(involvement).filter(status=JobStatus.DONE)
