from django.contrib import admin
from django.urls import include, path

from sfo import views
from sfo.operations import views as operations_views
from sfo.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("sign-in/", people_views.SignInView.as_view(), name="login"),
    path("sign-out/", people_views.SignOutView.as_view(), name="logout"),
    path("kept-forms/<int:pk>/", people_views.held_submission, name="held_submission"),
    path(
        "kept-forms/<int:pk>/discard/",
        people_views.discard_held_submission,
        name="discard_held_submission",
    ),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cases/", include("reviews.urls")),
    path("qa/", include("qa.urls")),
    path("", include("sfo.documents.urls")),
    path("operations/", operations_views.operations, name="operations"),
    path("alerts/", include("sfo.alerts.urls")),
    path("", include("victims.urls")),
    path("", include("agencies.urls")),
    path("", include("insights.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "sfo.views.forbidden"
handler404 = "sfo.views.not_found"
# 503 with a plain page when PostgreSQL is unreachable; a plain 500 otherwise.
handler500 = "sfo.operations.faults.server_error"
