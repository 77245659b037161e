"""The national picture: the dashboard of figures, regional benchmarking, and the annual report."""

from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/benchmarking/", views.benchmarking, name="benchmarking"),
    path("insights/tables/<slug:table>.csv", views.table_csv, name="table_csv"),
    path("insights/annual-report/", views.annual_report, name="annual_report"),
]
