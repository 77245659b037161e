"""Signals for later stages to react to the review's progress without this app importing them
(the dependencies point one way: reviews → qa → victims)."""

from django.dispatch import Signal

# Sent inside the transaction that submits (or re-submits) a review to the central team, once
# the submitted version is frozen: `case`, `version` (the ReviewVersion) and `by`.
review_submitted = Signal()
