"""The other agencies of a case: who was involved, what was asked of them and what came back,
the extracts shared with them, and the parallel reviews."""

app_name = "agencies"
urlpatterns: list = []
