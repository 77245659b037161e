"""The structured records of victims and their families: the most sensitive data in the service.

Seen only by victim liaison officers and senior managers of the case's provider and by the central
QA team (`sfo.access.visible_victims`); every look is recorded."""

import pghistory
from django.db import models

from reviews.models import Case


class Relationship(models.TextChoices):
    VICTIM = "victim", "Victim"
    FAMILY = "family", "Family member of the victim"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Victim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} on {self.case}"
