"""The victims' pages: records, entitlement and contact, requests, assessment, meeting and
feedback (`victims.views`); the plain-language summary and the packs (`victims.pack_views`); and
the take-up figures (`victims.take_up_views`)."""

from victims.pack_urls import urlpatterns as pack_urls
from victims.record_urls import urlpatterns as record_urls
from victims.take_up_urls import urlpatterns as take_up_urls

app_name = "victims"
urlpatterns = record_urls + pack_urls + take_up_urls
