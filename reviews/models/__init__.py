"""The models of a case and of its review: `case` holds the case, its charges, its history and its
early look; `review` holds the full review, its chronology, findings, action plan and versions;
`standards` the versioned QA standards its checks answer; `redaction` what is withheld from the
copies shared, the redacted copies and the staff's responses to them."""

from reviews.models.case import *  # noqa: F403
from reviews.models.case import __all__ as _case_all
from reviews.models.redaction import *  # noqa: F403
from reviews.models.redaction import __all__ as _redaction_all
from reviews.models.review import *  # noqa: F403
from reviews.models.review import __all__ as _review_all
from reviews.models.standards import *  # noqa: F403
from reviews.models.standards import __all__ as _standards_all

__all__ = [*_case_all, *_review_all, *_standards_all, *_redaction_all]
