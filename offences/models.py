"""The catalogue of SFO qualifying offences (the inspection's Annexe 1), held as data.

Each printed entry is one row, in the printed order. Two things decide whether a charge of it
starts an SFO review: its *precondition* (a fact that must hold for the entry to count at all) and
its *rule* (automatic, automatic if the victim is under 13, or conditional on high or very high
RoSH). Administrators edit the rule in the admin; `rule_source` says where it came from, because
the annex's bold type, which marked the automatic offences, is lost in the text copy.

Only the two preconditions the domain names are modelled: a firearm or imitation firearm used
(robbery) and penetration involved (three sexual offences). The NB beside aggravated criminal
damage ("intention or recklessness as to the endangerment of life") is kept in `notes`, not as a
precondition: it restates an element of that offence (section 1(2)(b) of the Criminal Damage Act
1971), so a charge of it already meets the NB and there is no separate fact to record."""

import pghistory
from django.core.validators import MinValueValidator
from django.db import models

ANNEXE_1 = (
    "HM Inspectorate of Probation, thematic inspection of the SFO review process, May 2020, "
    "Annexe 1"
)


class Category(models.TextChoices):
    VIOLENT = "violent", "Violent"
    SEXUAL = "sexual", "Sexual"


class Precondition(models.TextChoices):
    """What must be true of the charge for the entry to count at all."""

    NONE = "none", "None"
    FIREARM = "firearm", "A firearm or imitation firearm was used"
    PENETRATION = "penetration", "Penetration was involved"


class Rule(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    AUTOMATIC_IF_VICTIM_UNDER_13 = "automatic_if_under_13", "Automatic if the victim is under 13"
    CONDITIONAL = "conditional", "Conditional on high or very high RoSH"


class RoSH(models.TextChoices):
    """Risk of serious harm, as assessed in OASys. A conditional offence needs high or very high
    at some point during the supervision."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"
    NOT_KNOWN = "not_known", "Not known"


class InchoateForm(models.TextChoices):
    """The forms that, by the annex's preamble, qualify exactly as the listed offence does."""

    ATTEMPT = "attempt", "Attempting to commit"
    CONSPIRACY = "conspiracy", "Conspiring to commit"
    AIDING = "aiding", "Aiding"
    ABETTING = "abetting", "Abetting"
    COUNSELLING = "counselling", "Counselling"
    PROCURING = "procuring", "Procuring"
    INCITING = "inciting", "Inciting"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Offence(models.Model):
    """One entry of the catalogue. Retired by setting `active` off, never deleted, so that the
    cases charged with it keep pointing at what was qualifying at the time."""

    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1)],
        help_text="Position in Annexe 1 as printed (1 to 76); later entries take the next numbers",
    )
    title = models.CharField(max_length=300, help_text="As printed")
    category = models.CharField(max_length=10, choices=Category.choices)
    statute = models.CharField(
        max_length=200, blank=True, help_text="Blank for common-law offences"
    )
    section = models.CharField(
        max_length=50, blank=True, help_text='As printed, such as "section 17(1)" or "Part II"'
    )
    precondition = models.CharField(
        max_length=20, choices=Precondition.choices, default=Precondition.NONE
    )
    rule = models.CharField(max_length=30, choices=Rule.choices, default=Rule.CONDITIONAL)
    rule_source = models.TextField(help_text="Where the rule comes from, and why")
    notes = models.TextField(blank=True)
    source = models.CharField(
        max_length=200, default=ANNEXE_1, help_text="Where the entry is printed"
    )
    active = models.BooleanField(
        default=True, help_text="Untick to retire an offence that no longer qualifies"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="offence_number_from_1"),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="offence_category_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(precondition__in=Precondition.values),
                name="offence_precondition_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(rule__in=Rule.values), name="offence_rule_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title
