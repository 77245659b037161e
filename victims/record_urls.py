"""The victims' records and the request for disclosure (`victims.views`). No URL carries a
person's name: records are found by their primary key."""

from django.urls import path

from victims import views

urlpatterns = [
    path("cases/<int:pk>/victims/", views.case_victims, name="case_victims"),
    path("cases/<int:pk>/victims/add/", views.add_victim, name="add_victim"),
    path("victims/tasks/", views.entitlement_tasks, name="entitlement_tasks"),
    path("victims/<int:victim_pk>/", views.victim, name="victim"),
    path("victims/<int:victim_pk>/edit/", views.edit_victim, name="edit_victim"),
    path("victims/<int:victim_pk>/contacts/add/", views.record_contact, name="record_contact"),
    path("victims/<int:victim_pk>/vcs/", views.vcs_choice, name="vcs_choice"),
    path("victims/<int:victim_pk>/requests/add/", views.record_request, name="record_request"),
    path("disclosure/<int:request_pk>/", views.disclosure_request, name="request"),
    path("disclosure/<int:request_pk>/assessment/", views.assessment, name="assessment"),
    path("disclosure/<int:request_pk>/sign-off/", views.sign_off, name="sign_off"),
    path("disclosure/<int:request_pk>/decline/", views.decline, name="decline"),
    path("disclosure/<int:request_pk>/meeting/", views.meeting, name="meeting"),
    path("disclosure/<int:request_pk>/feedback/", views.feedback, name="feedback"),
    path("disclosure/<int:request_pk>/release/", views.release, name="release"),
]
