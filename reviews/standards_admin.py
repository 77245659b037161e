"""Administrators keep the QA standards: each version with its questions. A version in use by a
check, or published before today, is read-only, so that every check keeps the questions it
answered; to change them, draw a new version from it, edit the draft and publish it by giving it a
publication date. No version is ever deleted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from reviews import standards as rules
from reviews.models import Standard, StandardSet
from sfo.admin import LockedWithParentInline


class QuestionsFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.published_on is None:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("question") and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError("A version of the standards is published with its questions.")


class StandardInline(LockedWithParentInline, admin.TabularInline):
    model = Standard
    formset = QuestionsFormSet
    fields = ("position", "question", "scope", "targeted")
    extra = 0
    ordering = ("position",)

    def editable(self, obj) -> bool:
        return obj is None or not rules.is_locked(obj)


class StandardSetForm(forms.ModelForm):
    class Meta:
        model = StandardSet
        fields = ("published_on", "note")

    def clean_published_on(self):
        published_on = self.cleaned_data.get("published_on")
        if published_on is not None and published_on < timezone.localdate():
            raise ValidationError(
                "A version is published from today or a later date, never backdated: checks "
                "already made used the version in force when they were made."
            )
        return published_on


@admin.register(StandardSet)
class StandardSetAdmin(admin.ModelAdmin):
    form = StandardSetForm
    inlines = [StandardInline]
    list_display = ("__str__", "published_on", "question_count", "status", "note")
    readonly_fields = ("version",)
    actions = ["draw_new_version"]

    @admin.display(description="questions")
    def question_count(self, obj) -> int:
        return obj.questions.count()

    @admin.display(description="status")
    def status(self, obj) -> str:
        today = timezone.localdate()
        if obj.published_on is None:
            return "Draft"
        if obj.published_on > today:
            return f"To be published on {obj.published_on:%d %B %Y}"
        current = rules.current_standards(today)
        return "In force" if current and current.pk == obj.pk else "Superseded"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and rules.is_locked(obj):
            return ("version", "published_on", "note")
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Reading a locked version stays possible through the view permission.
        if obj is not None and rules.is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            top = StandardSet.objects.aggregate(top=Max("version"))["top"] or 0
            obj.version = top + 1
        super().save_model(request, obj, form, change)

    @admin.action(description="Draw a new version from this", permissions=["add"])
    def draw_new_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Select one version to draw a new one from.", level=messages.ERROR
            )
            return None
        draft = rules.draw_new_version(queryset.get())
        self.message_user(
            request,
            f"{draft} drawn as a draft: edit its questions, then publish it by giving it a "
            "publication date.",
        )
        return HttpResponseRedirect(reverse("admin:reviews_standardset_change", args=[draft.pk]))
