"""Central QA's steps of a journey with a review (`reviews.journeys`), for the demo data and the
tests: taken from the queue, rated and given feedback through the real services."""

from qa import services
from qa.models import QAAssessment, QAMode


def _take(case, by):
    services.take_for_qa(case, by=by)
    case.refresh_from_db()
    return case


def _rate(case, by, *, incomplete: bool):
    assessment = services.current_round(case)
    full = incomplete or assessment.mode == QAMode.FULL
    asked = services.questions_of(
        QAAssessment(mode=QAMode.FULL if full else QAMode.TARGETED, standards=assessment.standards)
    )
    levels = {level.label: level.pk for level in assessment.scale.levels.all()}
    data = services.AssessmentInput(
        mode=QAMode.FULL if full else QAMode.TARGETED,
        answers={q.pk: ("yes" if q.position % 3 else "partly", "") for q in asked},
        sections={
            "chronology": "The chronology is thorough; weight it towards the months before the "
            "offence, where the missed opportunities were.",
            "action_plan": "Add an organisational action on workload and on information sharing "
            "with the police.",
        },
        review_rating=levels.get("Requires improvement" if incomplete else "Good"),
        action_plan_rating=levels.get("Requires improvement" if incomplete else "Satisfactory"),
        feedback="A clear judgement, explained with reasons. The analysis of multi-agency working "
        "is thin: say what the police and children's services knew, and when.",
        marked_incomplete=incomplete,
    )
    services.complete_assessment(
        assessment, by=by, data=data, expected_version=assessment.edit_version
    )
    case.refresh_from_db()
    return case


def _return(case, by):
    return _rate(case, by, incomplete=True)


def _complete(case, by):
    return _rate(case, by, incomplete=False)


STEPS = {"take_for_qa": _take, "return_for_amendments": _return, "complete_qa": _complete}
