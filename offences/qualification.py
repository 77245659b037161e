"""Whether a charge starts an SFO review, and why: a pure function of the catalogue entry and the
facts of the case, so that it can be tested over every rule without a database.

The order of the checks follows the annex: an entry with a precondition does not count at all
unless it holds; an automatic entry qualifies whatever the risk level; an entry that is automatic
only for a victim under 13 falls back to the conditional rule for an older victim; a conditional
entry needs high or very high RoSH at some point during the supervision. Attempting, conspiring,
aiding, abetting, counselling, procuring or inciting qualify exactly as the listed offence does."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from offences.models import InchoateForm, Offence, Precondition, RoSH, Rule

HIGH_ROSH = frozenset({RoSH.HIGH, RoSH.VERY_HIGH})


class Outcome(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic SFO"
    CONDITIONAL = "conditional", "Conditional SFO"
    NOT_QUALIFYING = "not_qualifying", "Not a qualifying offence"


# The stronger outcome wins when several offences are charged.
STRENGTH = {Outcome.NOT_QUALIFYING: 0, Outcome.CONDITIONAL: 1, Outcome.AUTOMATIC: 2}

PRECONDITION_WORDING = {
    Precondition.FIREARM: "where a firearm or imitation firearm was used",
    Precondition.PENETRATION: "where penetration was involved",
}


@dataclass(frozen=True)
class Qualification:
    outcome: Outcome
    reason: str
    offence: Offence | None = None

    @property
    def qualifies(self) -> bool:
        return self.outcome != Outcome.NOT_QUALIFYING


def qualify(
    offence: Offence,
    *,
    firearm_used: bool,
    penetration: bool,
    victim_under_13: bool,
    highest_rosh: str,
    inchoate: str | None = None,
) -> Qualification:
    """The outcome for one charged offence. `highest_rosh` is the highest RoSH level assessed at
    any point of the supervision; `inchoate` the form of the charge when it is not the substantive
    offence itself. Every fact is required, so that a caller who has not established one cannot
    be taken to have answered no."""
    rosh = RoSH(highest_rosh)  # refuses an unknown level rather than treating it as low
    form = InchoateForm(inchoate) if inchoate else None
    outcome, reason = _decide(offence, firearm_used, penetration, victim_under_13, rosh)
    if form is not None:
        reason += (
            f" {form.label} the offence qualifies exactly as the offence itself does"
            " (Annexe 1 preamble)."
        )
    return Qualification(outcome=outcome, reason=reason, offence=offence)


def _decide(
    offence: Offence, firearm_used: bool, penetration: bool, victim_under_13: bool, rosh: RoSH
) -> tuple[Outcome, str]:
    title = offence.title
    if not offence.active:
        return Outcome.NOT_QUALIFYING, (
            f"Not qualifying: {title} has been retired from the catalogue of qualifying offences."
        )
    precondition = Precondition(offence.precondition)
    met = {
        Precondition.NONE: True,
        Precondition.FIREARM: firearm_used,
        Precondition.PENETRATION: penetration,
    }[precondition]
    if not met:
        return Outcome.NOT_QUALIFYING, (
            f"Not qualifying: {title} qualifies only {PRECONDITION_WORDING[precondition]}."
        )
    condition = (
        f" {PRECONDITION_WORDING[precondition]}" if precondition != Precondition.NONE else ""
    )
    rule = Rule(offence.rule)
    if rule == Rule.AUTOMATIC:
        return Outcome.AUTOMATIC, f"Automatic: {title}{condition} always needs a review."
    if rule == Rule.AUTOMATIC_IF_VICTIM_UNDER_13 and victim_under_13:
        return Outcome.AUTOMATIC, (
            f"Automatic: {title}{condition} needs a review because the victim was under 13."
        )
    older = (
        "The victim was 13 or over, so the offence is conditional. "
        if rule == Rule.AUTOMATIC_IF_VICTIM_UNDER_13
        else ""
    )
    if rosh in HIGH_ROSH:
        return Outcome.CONDITIONAL, (
            f"{older}Conditional: {title}{condition} qualifies because the person was assessed "
            f"as {rosh.label.lower()} RoSH during supervision."
        )
    highest = (
        "the RoSH is not known"
        if rosh == RoSH.NOT_KNOWN
        else f"the highest was {rosh.label.lower()}"
    )
    return Outcome.NOT_QUALIFYING, (
        f"{older}Not qualifying: a conditional offence needs high or very high RoSH at some point "
        f"of the supervision; {highest}."
    )


def qualify_many(charges: Iterable[tuple[Offence, Mapping[str, Any]]]) -> Qualification:
    """The strongest outcome over several charged offences (automatic, then conditional, then not
    qualifying), with the reason of the offence that gave it; the first charged wins a tie. Each
    charge is an offence with the keyword facts `qualify` takes."""
    best: Qualification | None = None
    for offence, facts in charges:
        result = qualify(offence, **facts)
        if best is None or STRENGTH[result.outcome] > STRENGTH[best.outcome]:
            best = result
    if best is None:
        return Qualification(
            Outcome.NOT_QUALIFYING, "Not qualifying: no offence from Annexe 1 was charged."
        )
    return best
