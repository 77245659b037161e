"""The other agencies of a case: who was involved, what was asked of them and what came back,
the findings and actions that concern each, the extracts shared with them, and the parallel
reviews. No URL carries a person's name: rows are found by their primary keys, under their case."""

from django.urls import path

from agencies import extract_views, views

app_name = "agencies"
urlpatterns = [
    path("cases/<int:pk>/agencies/", views.case_agencies, name="case_agencies"),
    path("cases/<int:pk>/agencies/add/", views.add_involvement, name="add_involvement"),
    path("cases/<int:pk>/agencies/<int:involvement_pk>/", views.involvement, name="involvement"),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/edit/",
        views.edit_involvement,
        name="edit_involvement",
    ),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/requests/add/",
        views.add_request,
        name="add_request",
    ),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/requests/<int:request_pk>/",
        views.reply,
        name="reply",
    ),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/concerns/",
        views.concerns,
        name="concerns",
    ),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/extract/",
        extract_views.extract,
        name="extract",
    ),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/extract/make/",
        extract_views.make_extract,
        name="make_extract",
    ),
    path(
        "cases/<int:pk>/agencies/<int:involvement_pk>/shares/add/",
        extract_views.record_share,
        name="record_share",
    ),
    path(
        "cases/<int:pk>/agencies/parallel/add/",
        views.add_parallel_review,
        name="add_parallel_review",
    ),
    path(
        "cases/<int:pk>/agencies/parallel/<int:review_pk>/",
        views.edit_parallel_review,
        name="edit_parallel_review",
    ),
]
