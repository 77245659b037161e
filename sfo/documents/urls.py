from django.urls import path

from sfo.documents import views

app_name = "documents"
urlpatterns = [
    path(
        "cases/<int:pk>/case-summary/",
        views.request_case_summary,
        name="request_case_summary",
    ),
    path("cases/<int:pk>/review/pdf/", views.request_review_pdf, name="request_review_pdf"),
    path("documents/<int:job_pk>/", views.job_detail, name="job"),
    path("documents/<int:job_pk>/retry/", views.job_retry, name="retry"),
    path("documents/<int:job_pk>/download/", views.job_download, name="download"),
]
