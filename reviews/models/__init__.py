"""The models of a case and of its review: `case` holds the case, its charges, its history and its
early look; `review` holds the full review, its chronology, findings, action plan and versions;
`standards` the versioned QA standards its checks answer."""

from reviews.models.case import *  # noqa: F403
from reviews.models.case import __all__ as _case_all
from reviews.models.review import *  # noqa: F403
from reviews.models.review import __all__ as _review_all
from reviews.models.standards import *  # noqa: F403
from reviews.models.standards import __all__ as _standards_all

__all__ = [*_case_all, *_review_all, *_standards_all]
