"""The national picture keeps no data of its own: its figures are counted from the other apps'
tables (`insights.figures`) and its annual reports are document jobs. The module exists so that
Django sends this app's post_migrate signal, which `sfo.people.roles.sync_role_groups` waits for
as the last app's."""
