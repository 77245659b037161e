from django import template

register = template.Library()


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def remarks_on(remarks, key: str) -> list[tuple]:
    """(title, remarks) of each body of remarks (`reviews.remarks`) that has some on a section."""
    return [(r.title, r.sections[key]) for r in remarks or [] if r.sections.get(key)]


@register.filter
def getfield(form, name: str):
    return form[name]


STATE_COLOURS = {
    "identified": "grey",
    "notified": "light-blue",
    "registered": "blue",
    "rejected": "red",
    "review_in_progress": "purple",
    "local_qa": "purple",
    "awaiting_countersignature": "pink",
    "with_central_team": "turquoise",
    "central_qa": "turquoise",
    "returned_for_amendments": "orange",
    "qa_complete": "green",
    "closed": "grey",
    "discontinued": "grey",
}
RAG = {
    "red": ("red", "Overdue"),
    "amber": ("yellow", "Due soon"),
    "green": ("green", "On track"),
    "met": ("grey", "Met"),
    "stopped": ("grey", "Stopped"),
    "cancelled": ("grey", "Cancelled"),
}


@register.inclusion_tag("components/state_tag.html")
def state_tag(case):
    return {"colour": STATE_COLOURS.get(case.state, "grey"), "label": case.get_state_display()}


@register.inclusion_tag("components/rag_tag.html")
def rag_tag(status):
    colour, label = RAG.get(status, ("grey", ""))
    return {"colour": colour, "label": label}
