"""Who is independent enough of a case to review it or countersign its review (DOMAIN.md, steps 2–4;
the inspection calls a countersigner in the case's line management inappropriate).

A case's responsible officers are every officer who managed it during the review period (all of
them while the review period is not set). Line management is followed to every level."""

from reviews.models import Case


def responsible_officers(case: Case, review_period_start=None) -> list:
    """The officers who managed the case during the review period, the period's start taken from
    the review where not given."""
    if review_period_start is None:
        from reviews.models import Review

        review_period_start = (
            Review.objects.filter(case=case).values_list("review_period_start", flat=True).first()
        )
    periods = case.officer_periods.select_related("officer", "officer__line_manager")
    if review_period_start is not None:
        periods = [
            period
            for period in periods
            if period.ended_on is None or period.ended_on >= review_period_start
        ]
    return [period.officer for period in periods]


def _too_close(user, case: Case, doing: str, who: str) -> str | None:
    """Why `user` is too close to the case; `who` names them in the message ("You", or a name)."""
    verb = "are" if who == "You" else "is"
    for officer in responsible_officers(case):
        if officer.pk == user.pk:
            return f"{who} managed this case, so someone outside it {doing}."
        if user.is_in_line_management_of(officer):
            return (
                f"{who} {verb} in the line management of {officer.get_full_name() or officer}, "
                f"who managed this case, so someone outside its line management {doing}."
            )
    return None


def reviewer_refusal(user, case: Case, who: str = "You") -> str | None:
    """Why `user` may not review this case (or write its early look), or None: not one of its
    responsible officers, nor in their line management at any level."""
    return _too_close(user, case, "reviews it", who)


def countersigner_refusal(user, case: Case) -> str | None:
    """Why `user` may not countersign this case's review, or None: a senior manager outside the
    case's line management at any level."""
    from sfo.people.roles import Role

    if not user.has_role(Role.SENIOR_MANAGER):
        return "A review is countersigned by a senior manager."
    return _too_close(user, case, "countersigns its review", "You")
