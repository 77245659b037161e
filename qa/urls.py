"""Central QA (queue, assessment, feedback), its turnaround and backlog figures, and the
independent QA of a sample with its concordance report."""

from qa import central_views, independent_views, turnaround_views

app_name = "qa"
urlpatterns = [
    *central_views.urlpatterns,
    *turnaround_views.urlpatterns,
    *independent_views.urlpatterns,
]
