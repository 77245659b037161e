"""The plain-language summary and the disclosure packs (`victims.pack_views`). No URL carries a
person's name: the case and the request are found by their primary keys."""

from django.urls import path

from victims import pack_views

urlpatterns = [
    path("cases/<int:pk>/victims/summary/", pack_views.summary, name="summary"),
    path("disclosure/<int:request_pk>/packs/", pack_views.packs, name="packs"),
    path("disclosure/<int:request_pk>/packs/make/", pack_views.make_pack, name="make_pack"),
]
