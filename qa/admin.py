"""Administrators keep the rating scales and the mapping between the independent and the central
scale. A scale any rating used (a central assessment, an independent sample or assessment) is
read-only, levels and all, so that old ratings keep their meaning: to change a scale, add a new one
in force from a later day. No scale is ever deleted. The mapping is edited here or on its own page
(qa:scale_mapping); it changes only how the concordance report compares the two raters."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q

from qa.models import (
    IndependentAssessment,
    IndependentSample,
    QAAssessment,
    RatingLevel,
    RatingScale,
    ScaleMapping,
    ScaleUse,
)
from sfo.admin import LockedWithParentInline


def scale_in_use(scale: RatingScale) -> bool:
    """Whether any rating, or any sample, used this scale."""
    if scale.pk is None:
        return False
    levels = RatingLevel.objects.filter(scale=scale).values("pk")
    return (
        QAAssessment.objects.filter(
            Q(scale=scale) | Q(review_rating__in=levels) | Q(action_plan_rating__in=levels)
        ).exists()
        or IndependentSample.objects.filter(scale=scale).exists()
        or IndependentAssessment.objects.filter(
            Q(review_rating__in=levels) | Q(action_plan_rating__in=levels)
        ).exists()
    )


class RatingLevelInline(LockedWithParentInline, admin.TabularInline):
    model = RatingLevel
    fields = ("position", "label", "description")
    extra = 0
    ordering = ("position",)

    def editable(self, obj) -> bool:
        return obj is None or not scale_in_use(obj)

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0  # three levels to fill in for a new scale


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    inlines = [RatingLevelInline]
    list_display = ("name", "use", "in_force_from", "level_list", "in_use")
    list_filter = ("use",)
    fields = ("name", "use", "in_force_from", "note")

    @admin.display(description="levels, best first")
    def level_list(self, obj) -> str:
        return ", ".join(level.label for level in obj.levels.order_by("position"))

    @admin.display(boolean=True, description="used by a rating")
    def in_use(self, obj) -> bool:
        return scale_in_use(obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and scale_in_use(obj):
            return self.fields
        return ()

    def has_change_permission(self, request, obj=None):
        # A scale in use stays readable through the view permission, never editable.
        if obj is not None and scale_in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ScaleMappingForm(forms.ModelForm):
    class Meta:
        model = ScaleMapping
        fields = ("independent_level", "central_level")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = RatingLevel.objects.select_related("scale").order_by(
            "scale__use", "-scale__in_force_from", "position"
        )
        self.fields["independent_level"].queryset = levels.filter(scale__use=ScaleUse.INDEPENDENT)
        self.fields["central_level"].queryset = levels.filter(scale__use=ScaleUse.CENTRAL)
        for name in ("independent_level", "central_level"):
            self.fields[name].label_from_instance = lambda lv: f"{lv.label} ({lv.scale})"

    def clean(self):
        data = super().clean()
        independent, central = data.get("independent_level"), data.get("central_level")
        if independent and independent.scale.use != ScaleUse.INDEPENDENT:
            raise ValidationError("Map a level of an independent scale.")
        if central and central.scale.use != ScaleUse.CENTRAL:
            raise ValidationError("Map it onto a level of a central scale.")
        return data


@admin.register(ScaleMapping)
class ScaleMappingAdmin(admin.ModelAdmin):
    form = ScaleMappingForm
    list_display = ("independent_level", "central_level", "scale", "defined_by", "defined_at")
    readonly_fields = ("defined_by", "defined_at")

    @admin.display(description="independent scale")
    def scale(self, obj) -> str:
        return str(obj.independent_level.scale)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("independent_level__scale", "central_level", "defined_by")
        )

    def save_model(self, request, obj, form, change):
        obj.defined_by = request.user
        super().save_model(request, obj, form, change)
