"""Signals for later stages to react to the review's progress without this app importing them
(the dependencies point one way: reviews → qa → victims)."""

from django.dispatch import Signal

# Sent inside the transaction that submits (or re-submits) a review to the central team, once
# the submitted version is frozen: `case`, `version` (the ReviewVersion) and `by`.
review_submitted = Signal()

# Sent inside the transaction that registers a case or records its court outcome: the facts that
# entitle victims to ask for the review (an automatic SFO, as registered, with a qualifying
# conviction) may have changed. `case` and `by`.
entitling_facts_changed = Signal()
