from django.urls import path

from reviews import clock_views, views

app_name = "reviews"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("identify/", views.identify_case, name="identify"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/notification/", views.notification, name="notification"),
    path("<int:pk>/notification/check/", views.notification_check, name="notification_check"),
    path("<int:pk>/registration/", views.registration, name="registration"),
    path("<int:pk>/allocation/", views.allocation, name="allocation"),
    path("<int:pk>/court-outcome/", views.court_outcome, name="court_outcome"),
    path("<int:pk>/early-look/", views.early_look, name="early_look"),
    path("<int:pk>/actions/<slug:name>/", views.case_action, name="case_action"),
]

urlpatterns += [
    path(
        "<int:pk>/clocks/<int:clock_pk>/extension/",
        clock_views.request_extension,
        name="request_extension",
    ),
    path(
        "<int:pk>/extensions/<int:extension_pk>/decision/",
        clock_views.decide_extension,
        name="decide_extension",
    ),
    path(
        "<int:pk>/clocks/<int:clock_pk>/stop/",
        clock_views.stop_or_restart,
        {"action": "stop"},
        name="stop_clock",
    ),
    path(
        "<int:pk>/clocks/<int:clock_pk>/restart/",
        clock_views.stop_or_restart,
        {"action": "restart"},
        name="restart_clock",
    ),
]

# The full review: its task list and sections, chronology, coach, local QA and versions.
from reviews import chronology_views, coach_views, local_qa_views, review_views  # noqa: E402

urlpatterns += review_views.urlpatterns
urlpatterns += chronology_views.urlpatterns
urlpatterns += coach_views.urlpatterns
urlpatterns += local_qa_views.urlpatterns

# Redaction, the redacted copy for the staff involved and their responses (ADR 0012).
from reviews import redaction_views  # noqa: E402

urlpatterns += redaction_views.urlpatterns
