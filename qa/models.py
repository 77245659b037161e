"""Quality assurance. An independent assessor sees only the cases sampled for them."""

import pghistory
from django.conf import settings
from django.db import models

from reviews.models import Case


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SampleAssignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sample_assignments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sample_assignments"
    )
    sampled_on = models.DateField()

    class Meta:
        ordering = ["-sampled_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "assessor"], name="one_sample_per_assessor")
        ]

    def __str__(self) -> str:
        return f"{self.case} sampled for {self.assessor}"
