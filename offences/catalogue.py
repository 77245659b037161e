"""Loading the catalogue of qualifying offences from `offences/data/annexe1.json`.

Shared by the data migration (so every database starts with the annex) and by the
`load_offence_catalogue` command (so a corrected file reaches a running database). Rows are matched
by `number`, so loading twice changes nothing.

What the annex prints (title, category, statute, section, precondition, source) is always brought
in line with the file. The rule, its source, the notes and `active` belong to administrators once
a row exists: a reload leaves them as edited unless asked to reset them, so that a deployment
never silently undoes a policy decision taken in the admin."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "annexe1.json"

PRINTED_FIELDS = ("title", "category", "statute", "section", "precondition", "source")
ADMINISTERED_FIELDS = ("rule", "rule_source", "notes", "active")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_catalogue(path: Path = CATALOGUE_PATH) -> list[dict[str, Any]]:
    """The entries of the file, each carrying the file's source."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return [{"source": document["source"], **entry} for entry in document["offences"]]


def load_catalogue(
    offence_model: Any = None, *, path: Path = CATALOGUE_PATH, reset_rules: bool = False
) -> LoadResult:
    """Create missing entries and update changed ones, matched by number. Only fields the model
    has are written, so the data migration can pass its historical model."""
    if offence_model is None:
        from offences.models import Offence

        offence_model = Offence
    known = {field.name for field in offence_model._meta.get_fields()}
    existing = {offence.number: offence for offence in offence_model.objects.all()}
    created = updated = unchanged = 0
    for entry in read_catalogue(path):
        values = {name: value for name, value in entry.items() if name in known}
        offence = existing.get(entry["number"])
        if offence is None:
            offence_model.objects.create(**values)
            created += 1
            continue
        fields = PRINTED_FIELDS + (ADMINISTERED_FIELDS if reset_rules else ())
        changed = [
            name for name in fields if name in values and getattr(offence, name) != values[name]
        ]
        if not changed:
            unchanged += 1
            continue
        for name in changed:
            setattr(offence, name, values[name])
        offence.save(update_fields=changed)
        updated += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
