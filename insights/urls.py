"""The national picture: the dashboard of figures, regional benchmarking, and the annual report."""

app_name = "insights"
urlpatterns: list = []
