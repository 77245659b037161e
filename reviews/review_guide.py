"""What each section of the review is for, as the reviewer sees it beside the text box, and how
the task list groups the sections. Drawn from DOMAIN.md (workflow step 3) and the inspection's
findings on what good reviews do."""

from reviews.models import SectionKey as K

GROUPS = [
    ("Prepare", [K.METHODOLOGY, K.SUMMARY_OF_EVENTS, K.CHRONOLOGY]),
    (
        "Analyse the work with the case",
        [
            K.ASSESSMENT,
            K.PLANNING,
            K.IMPLEMENTATION,
            K.REVIEWING,
            K.KEY_RISK_FACTORS,
            K.RISK_MANAGEMENT_PLAN,
            K.MULTI_AGENCY,
            K.SYSTEMIC_FACTORS,
        ],
    ),
    ("Findings and judgement", [K.KEY_FINDINGS, K.GOOD_PRACTICE, K.CONCLUSION]),
    ("Improve", [K.AREAS_FOR_IMPROVEMENT, K.ACTION_PLAN, K.NEXT_STEPS]),
]

# The sections with a page of their own rather than a text box.
STRUCTURED_PAGES = {
    K.CHRONOLOGY: "reviews:chronology",
    K.KEY_FINDINGS: "reviews:findings",
    K.ACTION_PLAN: "reviews:action_plan",
}

GUIDANCE = {
    K.METHODOLOGY: "Who you interviewed (by role), what you read (case records, OASys, police "
    "and partner records, MAPPA minutes) and any limits on what you could see.",
    K.SUMMARY_OF_EVENTS: "A short account of the supervision and the further offence. Keep it "
    "brief: the chronology holds the detail.",
    K.ASSESSMENT: "Was the risk of serious harm assessed well, and reassessed when things "
    "changed? Say why, not only what.",
    K.PLANNING: "Did the sentence and risk management plans address the risks identified?",
    K.IMPLEMENTATION: "Was the plan delivered: contact, interventions, enforcement, home visits "
    "and address checks?",
    K.REVIEWING: "Was the work reviewed after significant events, and did management oversight "
    "make a difference?",
    K.KEY_RISK_FACTORS: "The factors that drove the risk of serious harm, and whether the work "
    "understood them. The inspection found this analysis sufficient in two reviews in three.",
    K.RISK_MANAGEMENT_PLAN: "Was the risk management plan sufficient, and was it followed?",
    K.MULTI_AGENCY: "How probation worked with the police, children's services, mental health "
    "services, MAPPA, IOM and others: what was shared, what was not, and why. Only 39% of reviews "
    "addressed this sufficiently.",
    K.SYSTEMIC_FACTORS: "Workload, policies (hostel move-on, recall, MAPPA criteria), transitions "
    "from youth to adult services: what in the system, not only in the person, made a difference.",
    K.GOOD_PRACTICE: "What went well and should be shared locally or nationally. Mark findings of "
    "good practice for dissemination on the key findings page.",
    K.CONCLUSION: "A clear judgement whether all reasonable steps were taken to manage the risk "
    "of serious harm, and the reasons for it.",
    K.AREAS_FOR_IMPROVEMENT: "What must change, at which level: individual, team, organisation, "
    "national or another agency. The action plan turns these into actions.",
    K.NEXT_STEPS: "What happens now: sharing the learning, the redacted copy for the staff "
    "involved, and any victim disclosure.",
}
