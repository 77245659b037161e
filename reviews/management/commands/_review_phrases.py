"""The phrase banks the synthetic national dataset writes its reviews from: chronology events,
emerging issues, key findings, actions and the sentences of each narrative section.

The themes are the ones the inspection names (chapter 4 and its conclusions): one area's nine
recurring themes (over-reliance on self-disclosure, address checks, enforcement, domestic-abuse
safety planning, management oversight, recording quality, MAPPA adherence, reviewing cases after
significant events, quality of assessment and planning) and the others it saw (professional
curiosity, information sharing, homelessness, mental health support, workload, interventions,
recall, youth-to-adult transition). A review draws a few themes; its chronology, findings, analysis
and actions then tell one story instead of unrelated sentences.

Every string is a `str.format_map` template over the keys of `PLACEHOLDERS`; the tests format each
one, so that a misspelt key fails there rather than in a long generation."""

from dataclasses import dataclass, field

# The keys a template may use, with an example value (what a test formats every phrase with).
PLACEHOLDERS = {
    "name": "Mr Hughes",
    "his": "his",
    "him": "him",
    "His": "His",
    "offence": "murder",
    "rosh": "high",
    "police": "Northumbria Police",
    "court": "Newcastle Magistrates' Court",
    "provider": "NPS North East",
    "reviewing": "NPS North East",
    "team": "the offender management team",
    "supervision": "licence",
    "a_supervision": "a licence",
    "he_she": "he",
    "rps": "3 March 2024",
    "offence_day": "14 May 2025",
    "charge_day": "15 May 2025",
    "hearing_day": "16 May 2025",
    "supervision_day": "2 June 2024",
    "mappa": "MAPPA category 2, level 1",
    "prison": "HMP Durham",
    "age": "34",
}

PRISONS = [
    "HMP Durham",
    "HMP Pentonville",
    "HMP Cardiff",
    "HMP Birmingham",
    "HMP Manchester",
    "HMP Elmley",
    "HMP Wandsworth",
    "HMP Altcourse",
    "HMP Swansea",
    "HMP Holme House",
]

# Who an SFO reviewer interviews and what they read (the methodology section).
INTERVIEWEES = [
    "the responsible officer at the time of the offence",
    "the previous responsible officer",
    "the senior probation officer who line-managed the case",
    "the prison offender manager",
    "the approved premises manager",
    "the MAPPA coordinator",
    "the police offender manager for the IOM scheme",
    "the case administrator",
    "the probation services officer who covered the case during leave",
    "the victim liaison officer",
]
RECORDS_READ = [
    "the nDelius case record for the whole of the current sentence",
    "every OASys assessment completed during the sentence",
    "the pre-sentence report and the sentencing remarks",
    "the licence and its additional conditions",
    "the minutes of the MAPPA meetings",
    "the approved premises records",
    "the prison records shared through the offender management in custody process",
    "police intelligence shared with probation during the sentence",
    "the records of children's services enquiries",
    "the early look report and its immediate action plan",
    "the workload management tool figures for the team",
    "the local practice guidance on home visits and enforcement",
]


@dataclass(frozen=True)
class Theme:
    """One thread of a case's story, from the chronology to the action plan."""

    label: str
    section: str  # the analysis section it is discussed in
    issues: list[str]  # the emerging issue of each event, in the same order
    events: list[tuple[str, str]]  # (source, event) for significant chronology entries
    findings: dict[str, str]  # kind -> title
    analysis: list[str]  # why it happened: sentences for the finding and the narrative
    actions: dict[str, list[str]]  # level -> descriptions
    agency: str = ""  # the external agency an external action would name ("police": the force)
    weight: float = 1.0
    favours: dict[str, float] = field(default_factory=dict)  # case facts that make it likelier
    needs: str = ""  # a case fact without which it cannot arise (MAPPA management, youth)


THEMES: dict[str, Theme] = {
    "self_disclosure": Theme(
        label="Over-reliance on self-disclosure",
        section="implementation",
        issues=[
            "Reliance on {name}'s own account of {his} relationships, not checked with others.",
            "Self-report about the household accepted without a home visit.",
            "Information that would have tested {name}'s account was available but not sought.",
        ],
        events=[
            (
                "case_record",
                "{name} said {his} relationship had ended; the responsible officer "
                "recorded this and made no further enquiry.",
            ),
            (
                "case_record",
                "{name} said that {he_she} lived alone. No home visit was arranged to "
                "confirm this.",
            ),
            (
                "police",
                "Police intelligence recorded {name} at a new partner's address; the "
                "information was on the system but not requested by probation.",
            ),
        ],
        findings={
            "practice_failing": "What {name} said was accepted without being checked",
            "missed_opportunity": "Police information could have tested {name}'s account of "
            "{his} relationships",
            "systemic_factor": "Local guidance does not say when self-disclosure must be verified",
        },
        analysis=[
            "The responsible officer took {name}'s account at face value: {name} presented as "
            "compliant and plausible, and nothing in the team's practice prompted a check.",
            "Interviews showed that staff saw checking a disclosure as a sign of distrust that "
            "could damage the relationship, rather than as a routine part of managing risk.",
            "Had the account been tested, the new relationship would have been known and a "
            "domestic abuse enquiry made, which would have informed the risk assessment.",
        ],
        actions={
            "individual": [
                "The responsible officer to complete the professional curiosity e-learning and "
                "discuss its application to current cases in supervision.",
            ],
            "team": [
                "Team meeting to consider the findings on self-disclosure, with case examples of "
                "how accounts can be checked with partners and the police.",
            ],
            "organisation": [
                "Revise the practice guidance to set out when a disclosure about relationships or "
                "address must be verified, and with whom.",
            ],
            "national": [
                "Share the learning on self-disclosure with the national SFO reference group for "
                "the annual learning report.",
            ],
            "external": [
                "Agree with the police a route for responsible officers to request domestic abuse "
                "call-out information on a named person within five working days.",
            ],
        },
        agency="police",
        weight=1.4,
    ),
    "address_checks": Theme(
        label="Address checks and home visits",
        section="implementation",
        issues=[
            "Change of address accepted without a home visit.",
            "No home visit during the review period, although the RoSH was {rosh}.",
            "Household not checked; a child at the address was not known to probation.",
        ],
        events=[
            (
                "housing",
                "{name} moved to a new address. The responsible officer recorded the "
                "move but did not check who else lived there.",
            ),
            (
                "case_record",
                "Planned home visit cancelled because of staff sickness and not rearranged.",
            ),
            (
                "police",
                "Police reported that a child lived at the address {name} had given; "
                "probation had recorded the address as a single occupancy.",
            ),
        ],
        findings={
            "practice_failing": "No home visit was made after {name} changed address",
            "missed_opportunity": "A home visit would have shown who else lived at the address",
            "systemic_factor": "Home visits are the first task dropped when the team is short "
            "of staff",
        },
        analysis=[
            "The review found that home visits in the team were arranged only when a case was "
            "high risk, and the change of address did not prompt a review of that decision.",
            "The cancelled visit was not rearranged because the diary system did not flag "
            "missed visits and the responsible officer was covering two caseloads.",
            "Without a visit, the responsible officer could not know that the household included "
            "a child, and no safeguarding enquiry was made.",
        ],
        actions={
            "individual": [
                "The responsible officer to review the home visit arrangements on all current "
                "cases with a change of address in the last three months.",
            ],
            "team": [
                "The senior probation officer to audit home visits on the team's high and medium "
                "RoSH cases and report the results to the head of service.",
            ],
            "organisation": [
                "Introduce a reminder in the case management system when a change of address is "
                "recorded without a home visit within ten working days.",
            ],
            "national": [
                "Ask HMPPS to include address verification in the national practice framework for "
                "the management of risk of serious harm.",
            ],
            "external": [
                "Agree an address check protocol with the local authority housing options team "
                "so that probation is told who is registered at an address.",
            ],
        },
        agency="housing",
        weight=1.2,
        favours={"licence": 1.3},
    ),
    "enforcement": Theme(
        label="Enforcement and recall",
        section="implementation",
        issues=[
            "Second unacceptable absence not enforced.",
            "Recall considered and not pursued; the reasons were not recorded.",
            "Positive drug test did not lead to a review of the licence or to recall.",
        ],
        events=[
            (
                "case_record",
                "{name} failed to attend without an acceptable reason for the second "
                "time in twelve months; no warning or breach was recorded.",
            ),
            (
                "case_record",
                "Recall discussed with the senior probation officer after {name} was "
                "arrested; decision not to recall, with no reasons recorded.",
            ),
            (
                "health",
                "Drug test positive for cocaine; the result was not discussed with "
                "{name} or the senior probation officer.",
            ),
        ],
        findings={
            "practice_failing": "Missed appointments were not enforced",
            "missed_opportunity": "Recall was not pursued when {name}'s behaviour deteriorated",
            "systemic_factor": "Recall decisions are not recorded with their reasons",
        },
        analysis=[
            "The responsible officer explained that enforcement was avoided to keep {name} "
            "engaged, but this was not discussed with a manager and was not recorded as a "
            "decision.",
            "The recall decision was taken verbally in a corridor conversation; the absence of a "
            "recorded rationale meant that nobody revisited it when further concerns arose.",
            "The pattern of non-compliance was an indicator of increasing risk that the review "
            "of the case should have picked up.",
        ],
        actions={
            "individual": [
                "The responsible officer to refresh their knowledge of the national standards for "
                "enforcement and recall with their line manager.",
            ],
            "team": [
                "The senior probation officer to check that enforcement decisions on the team's "
                "cases are recorded with their reasons in monthly case audits.",
            ],
            "organisation": [
                "Issue a recall decision template that records the options considered and the "
                "reasons for the decision, and audit its use after six months.",
            ],
            "national": [
                "Refer the learning on undocumented recall decisions to the HMPPS recall policy "
                "team.",
            ],
            "external": [
                "Review with the police the process for telling probation of an arrest of a "
                "person on licence within 24 hours.",
            ],
        },
        agency="police",
        weight=1.3,
        favours={"licence": 1.4},
    ),
    "domestic_abuse": Theme(
        label="Domestic-abuse enquiries and safety planning",
        section="key_risk_factors",
        issues=[
            "Police call-out to the home address not followed up with the partner.",
            "Domestic abuse enquiry not made when a new relationship was disclosed.",
            "Risk to the partner's children not assessed jointly with children's services.",
            "No safety planning for the partner despite a history of domestic abuse.",
        ],
        events=[
            (
                "police",
                "Police attended the home address after a neighbour reported shouting. "
                "No further action; probation was told a week later.",
            ),
            (
                "case_record",
                "{name} disclosed a new relationship. No domestic abuse enquiry was "
                "made of the police.",
            ),
            (
                "childrens_services",
                "Children's services contacted probation about a referral "
                "concerning the partner's children; no joint visit was agreed.",
            ),
            ("police", "MARAC referral made by the police in respect of {name}'s partner."),
        ],
        findings={
            "practice_failing": "No domestic abuse enquiry was made when {name} began a new "
            "relationship",
            "missed_opportunity": "The police call-out was an opportunity to speak to the "
            "partner about her safety",
            "systemic_factor": "Domestic abuse checks depend on the responsible officer asking "
            "for them",
        },
        analysis=[
            "The history of domestic abuse towards previous partners was known, but the risk "
            "management plan did not say what should happen if {name} started a new "
            "relationship.",
            "The responsible officer did not request the police information because {his} "
            "previous convictions were old and the current order was not for a domestic "
            "offence; the review considers that the history remained relevant.",
            "Safety planning for the partner would have required contact with her; no contact "
            "was made, and she was not made aware of the risk {name} posed.",
        ],
        actions={
            "individual": [
                "The responsible officer to attend the domestic abuse practice workshop and "
                "complete a reflective case discussion with the senior probation officer.",
            ],
            "team": [
                "Team briefing on domestic abuse enquiries when a person on probation starts a "
                "new relationship, with the police request form.",
            ],
            "organisation": [
                "Make a domestic abuse enquiry mandatory at the start of supervision and whenever "
                "a new relationship is disclosed, and report compliance quarterly.",
            ],
            "national": [
                "Share with HMPPS the finding that domestic abuse enquiries are not repeated "
                "when circumstances change, for the national domestic abuse policy framework.",
            ],
            "external": [
                "Agree with the police that probation is notified of every domestic abuse "
                "call-out involving a person under supervision.",
            ],
        },
        agency="police",
        weight=1.5,
        favours={"violent": 1.4},
    ),
    "oversight": Theme(
        label="Management oversight",
        section="reviewing",
        issues=[
            "Case discussed in supervision but no actions set.",
            "Countersignature of the RoSH assessment delayed by seven weeks.",
            "No management oversight at a point of increasing risk.",
        ],
        events=[
            (
                "case_record",
                "Case discussed in supervision with the senior probation officer; "
                "the record says only 'case discussed'.",
            ),
            (
                "oasys",
                "OASys assessment submitted for countersignature; countersigned seven weeks "
                "later without comment.",
            ),
            (
                "case_record",
                "Senior probation officer left the team; cases were not reallocated "
                "to another manager for two months.",
            ),
        ],
        findings={
            "practice_failing": "Management oversight did not challenge the risk assessment",
            "missed_opportunity": "Supervision was an opportunity to review the plan after the "
            "arrest",
            "systemic_factor": "Managers supervise more staff than the operating model assumes",
        },
        analysis=[
            "The senior probation officer managed fourteen staff during this period and told the "
            "reviewer that oversight was focused on cases flagged as high risk by the system.",
            "Oversight was recorded, but it described what had happened rather than testing the "
            "responsible officer's judgement or setting actions.",
            "The gap between managers left the responsible officer without anyone to consult "
            "when the risk changed.",
        ],
        actions={
            "individual": [
                "The senior probation officer to set out in each supervision record the actions "
                "agreed and the date by which they are to be completed.",
            ],
            "team": [
                "The team to adopt the structured case supervision template, with an audit of "
                "ten records after three months.",
            ],
            "organisation": [
                "Set a standard for management oversight at points of change (release, arrest, "
                "change of address) and report compliance to the quality board.",
                "Ensure that when a manager leaves, their staff are allocated to another manager "
                "on the same day.",
            ],
            "national": [
                "Raise with HMPPS the ratio of managers to practitioners assumed by the workforce "
                "model.",
            ],
        },
        weight=1.5,
    ),
    "recording": Theme(
        label="Recording quality",
        section="reviewing",
        issues=[
            "Contact recorded without its content; the record does not show what was discussed.",
            "Record made weeks later; the detail was lost.",
        ],
        events=[
            (
                "case_record",
                "Contact recorded as 'seen, no concerns' with no detail of the discussion.",
            ),
            ("case_record", "Record entered three weeks after the appointment it describes."),
        ],
        findings={
            "practice_failing": "Records do not show what was discussed or decided",
            "systemic_factor": "Recording is done in batches when caseloads are high",
        },
        analysis=[
            "The responsible officer said that records were often written at the end of the week "
            "because of the volume of appointments, and detail was lost.",
            "Because the records were brief, the reviewer could not establish whether risk was "
            "discussed at key appointments; the interview filled some but not all of the gaps.",
        ],
        actions={
            "individual": [
                "The responsible officer to agree recording standards with their line manager "
                "and have five records reviewed each month for three months.",
            ],
            "team": [
                "Team development session on defensible recording, using anonymised extracts "
                "from this review.",
            ],
            "organisation": [
                "Include recording quality in the quarterly case audit and publish the results "
                "to teams.",
            ],
        },
        weight=1.2,
    ),
    "mappa": Theme(
        label="MAPPA processes",
        section="multi_agency",
        issues=[
            "MAPPA level reduced without a recorded review of the risk.",
            "MAPPA actions not followed up between meetings.",
            "Case not referred for level 2 management despite the criteria being met.",
        ],
        events=[
            (
                "mappa",
                "MAPPA level 2 meeting: level reduced to level 1. The minutes do not record "
                "the reasons.",
            ),
            (
                "mappa",
                "MAPPA meeting actions: police to visit the address, probation to refer to "
                "the community mental health team. Neither action was recorded as completed.",
            ),
            (
                "case_record",
                "Responsible officer considered a referral to MAPPA level 2 and "
                "decided against it; the rationale was not recorded.",
            ),
        ],
        findings={
            "practice_failing": "MAPPA actions were not followed up",
            "missed_opportunity": "A level 2 referral would have brought the agencies together "
            "when the risk increased",
            "systemic_factor": "Understanding of the criteria for MAPPA level 2 is inconsistent",
        },
        analysis=[
            "The reduction in MAPPA level was agreed at a meeting the police did not attend, and "
            "the minutes were circulated a month later; no agency checked that its actions had "
            "been done.",
            "Staff interviewed were not confident about when a case should be referred for level "
            "2 management, and the local guidance had not been updated since the 2012 MAPPA "
            "guidance.",
            "Active multi-agency management would have shared the police intelligence and the "
            "mental health concerns at the point where the risk was escalating.",
        ],
        actions={
            "individual": [
                "The responsible officer to attend the MAPPA awareness training.",
            ],
            "team": [
                "The senior probation officer to check at each supervision that MAPPA actions on "
                "the team's cases have been completed.",
            ],
            "organisation": [
                "Brief all operational staff on the criteria for MAPPA level 2 and 3 referral.",
            ],
            "national": [
                "Refer the inconsistent application of the level 2 criteria to the national MAPPA "
                "team for the guidance review.",
            ],
            "external": [
                "Ask the MAPPA Strategic Management Board to audit the completion of MAPPA "
                "meeting actions by every agency.",
            ],
        },
        agency="the MAPPA Strategic Management Board",
        needs="mappa",
        weight=2.0,
    ),
    "significant_events": Theme(
        label="Reviewing the case after significant events",
        section="reviewing",
        issues=[
            "Arrest not followed by a review of the risk assessment.",
            "Assessment not reviewed after a significant event.",
            "Significant change in circumstances without a review of the plan.",
        ],
        events=[
            (
                "police",
                "{name} arrested for assault; released under investigation. The OASys "
                "assessment was not reviewed.",
            ),
            (
                "oasys",
                "OASys review due after the arrest was not completed; the RoSH remained {rosh}.",
            ),
            (
                "case_record",
                "{name}'s mother, with whom {name} had lived, died. The plan was not reviewed.",
            ),
        ],
        findings={
            "practice_failing": "The risk assessment was not reviewed after {name}'s arrest",
            "missed_opportunity": "A review after the arrest would have raised the RoSH and "
            "changed the plan",
            "systemic_factor": "The case management system does not prompt a review after "
            "significant events",
        },
        analysis=[
            "The responsible officer knew of the arrest but did not see it as a trigger for "
            "review because no charge had followed; the review considers that the behaviour "
            "itself was relevant to the risk of serious harm.",
            "OASys reviews in the team were completed at fixed intervals; events between those "
            "dates were recorded in contacts but did not change the assessment.",
            "The review found that the RoSH would have been assessed as high had the arrest and "
            "the information behind it been considered.",
        ],
        actions={
            "individual": [
                "The responsible officer to review the risk assessment on each current case "
                "where there has been an arrest or change of address in the last six months.",
            ],
            "team": [
                "The team to use a checklist of events that must lead to a review of the risk "
                "assessment.",
            ],
            "organisation": [
                "Introduce a management report of cases with an arrest or recall consideration "
                "and no OASys review within ten working days.",
            ],
            "national": [
                "Ask HMPPS to add a prompt to review the assessment when an arrest is recorded in "
                "the case management system.",
            ],
        },
        weight=1.6,
    ),
    "assessment": Theme(
        label="Quality of assessment and planning",
        section="assessment",
        issues=[
            "Risk to children not considered in the assessment.",
            "Sentence plan objectives not linked to the risk factors.",
            "Assessment copied forward; the RoSH of {rosh} not re-analysed.",
        ],
        events=[
            (
                "oasys",
                "OASys completed: RoSH {rosh} to known adults. The risk to children was "
                "not considered although {name} had contact with a partner's children.",
            ),
            (
                "oasys",
                "Sentence plan completed with objectives on employment and accommodation; "
                "none addressed the factors linked to violence.",
            ),
            (
                "oasys",
                "OASys review copied forward from the previous assessment without new analysis.",
            ),
        ],
        findings={
            "practice_failing": "The risk assessment did not analyse the pattern of previous "
            "offending",
            "missed_opportunity": "The pre-release assessment could have identified the risk to "
            "children",
            "systemic_factor": "Assessments are copied forward rather than reviewed",
        },
        analysis=[
            "The assessment listed the previous convictions but did not analyse what they showed "
            "about how and when {name} used violence; the pattern was therefore not reflected in "
            "the plan.",
            "The responsible officer had completed the assessment under time pressure before the "
            "release date and intended to revisit it, but never did.",
            "The copying forward of previous text meant that the assessment described {name} as "
            "{his} circumstances had been two years earlier.",
        ],
        actions={
            "individual": [
                "The responsible officer to complete the RoSH assessment refresher training and "
                "have their next two assessments reviewed by the senior probation officer.",
            ],
            "team": [
                "Quality development officer to run an assessment workshop for the team using "
                "this case.",
            ],
            "organisation": [
                "Add the analysis of previous offending to the assessment quality audit.",
            ],
            "national": [
                "Feed back to the OASys development team the finding that copied-forward text "
                "is not highlighted to the assessor.",
            ],
        },
        weight=1.6,
    ),
    "information_sharing": Theme(
        label="Information sharing",
        section="multi_agency",
        issues=[
            "Police intelligence not shared with probation.",
            "Discharge by mental health services not communicated to probation.",
            "Probation not included in children's services' safeguarding planning.",
        ],
        events=[
            (
                "police",
                "Police intelligence report: {name} associating with a group involved in "
                "supplying drugs. Not shared with probation until after the offence.",
            ),
            (
                "mental_health",
                "Community mental health team discharged {name} after two missed "
                "appointments; probation was not told.",
            ),
            (
                "childrens_services",
                "Children's services strategy meeting held; probation not "
                "invited and not sent the minutes.",
            ),
        ],
        findings={
            "practice_failing": "Information from other agencies was not sought",
            "missed_opportunity": "The police intelligence would have changed the assessment of "
            "risk",
            "systemic_factor": "There is no agreed route for agencies to share information about "
            "people under supervision outside MAPPA",
        },
        analysis=[
            "Each agency held part of the picture; no single agency held all of it, and there "
            "was no forum outside MAPPA where the information would have come together.",
            "The responsible officer did not know that the police held intelligence on {name}, "
            "and there was no routine request for it at the start of supervision.",
            "The discharge by the mental health team was a significant change that probation "
            "learned of only after the offence.",
        ],
        actions={
            "individual": [
                "The responsible officer to make police and children's services checks at the "
                "start of each new case and record the results.",
            ],
            "team": [
                "Team briefing on the information-sharing agreement with the police and children's "
                "services.",
            ],
            "organisation": [
                "Review the information-sharing agreements with partner agencies and publish a "
                "guide for staff on what can be requested and how.",
            ],
            "national": [
                "Share the learning on information sharing outside MAPPA with the national SFO "
                "reference group.",
            ],
            "external": [
                "Agree with the community mental health team that probation is told when a "
                "person under supervision is discharged.",
                "Establish with the police a monthly exchange of intelligence on people on "
                "licence managed at MAPPA level 1.",
            ],
        },
        agency="mental_health",
        weight=1.5,
    ),
    "accommodation": Theme(
        label="Accommodation and approved premises move-on",
        section="risk_management_plan",
        issues=[
            "Moved on from approved premises after the standard period, although not stable.",
            "Loss of accommodation; the plan did not address homelessness.",
            "No fixed address secured for release.",
        ],
        events=[
            (
                "housing",
                "{name} moved on from approved premises at the end of the twelve-week "
                "placement, to a shared house.",
            ),
            (
                "housing",
                "Evicted from the shared house after a dispute with another tenant; "
                "sofa-surfing thereafter.",
            ),
            ("prison", "Release planning: no address secured two weeks before release."),
        ],
        findings={
            "practice_failing": "The risk management plan did not address the loss of "
            "accommodation",
            "missed_opportunity": "An extension of the approved premises placement could have "
            "been sought",
            "systemic_factor": "Approved premises move-on follows the standard period, not the "
            "person's stability",
        },
        analysis=[
            "The move-on followed the placement policy rather than an assessment of {name}'s "
            "stability; the approved premises manager told the reviewer that extensions were "
            "rarely requested because beds were needed.",
            "Once {name} lost the shared house, contact became irregular and the controls in the "
            "plan (curfew, home visits) could not be applied.",
        ],
        actions={
            "individual": [
                "The responsible officer to agree a contingency plan for loss of accommodation "
                "on each current licence case.",
            ],
            "team": [
                "The team to review move-on plans for every person in approved premises four "
                "weeks before the end of the placement.",
            ],
            "organisation": [
                "Review the approved premises move-on policy so that extensions are considered "
                "where the person is not stable.",
            ],
            "national": [
                "Ask HMPPS to review the national approved premises placement length in the "
                "light of this and similar reviews.",
            ],
            "external": [
                "Agree with the local authority housing options team a route for urgent "
                "accommodation for people on licence facing eviction.",
            ],
        },
        agency="housing",
        weight=1.1,
        favours={"licence": 1.6},
    ),
    "mental_health": Theme(
        label="Mental health support",
        section="key_risk_factors",
        issues=[
            "Threshold decision not challenged or followed up.",
            "Deterioration in mental health not linked to the risk of harm.",
            "Stopping medication not shared with the GP.",
        ],
        events=[
            (
                "mental_health",
                "Referral to the community mental health team; assessed as not "
                "meeting the threshold for secondary care.",
            ),
            (
                "health",
                "GP prescribed antidepressants; {name} told the responsible officer that "
                "{his} sleep was poor and {his} thoughts were 'dark'.",
            ),
            (
                "case_record",
                "{name} said {he_she} had stopped taking {his} medication; no "
                "contact was made with the GP.",
            ),
        ],
        findings={
            "practice_failing": "The deterioration in {name}'s mental health was not linked to "
            "the risk of harm",
            "missed_opportunity": "Contact with the GP would have shown that {name} had stopped "
            "taking medication",
            "systemic_factor": "There is no mental health practitioner in the probation team",
        },
        analysis=[
            "The responsible officer recognised that {name} was unwell but saw it as a welfare "
            "matter; the assessment had identified poor mental health as linked to the previous "
            "offences, and this link was not made.",
            "The referral was declined, and without a mental health practitioner to advise, the "
            "responsible officer did not know what else to do.",
        ],
        actions={
            "individual": [
                "The responsible officer to attend the mental health awareness training.",
            ],
            "team": [
                "The team to set up monthly consultations with the liaison and diversion "
                "mental health nurse.",
            ],
            "organisation": [
                "Commission mental health consultation for probation teams and evaluate its use "
                "after a year.",
            ],
            "external": [
                "Agree with the community mental health team how probation refers a person whose "
                "mental health is deteriorating, and how the decision is fed back.",
            ],
        },
        agency="mental_health",
        weight=1.1,
    ),
    "substance_misuse": Theme(
        label="Substance misuse and interventions",
        section="planning",
        issues=[
            "Relapse into alcohol misuse, linked to previous violence, not addressed in the plan.",
            "Disengagement from the drug and alcohol service not followed up.",
            "Intervention not delivered because the programme had a waiting list.",
        ],
        events=[
            (
                "case_record",
                "{name} disclosed drinking daily since losing {his} job; the "
                "responsible officer advised {him} to contact the alcohol service.",
            ),
            (
                "health",
                "Drug and alcohol service: {name} did not attend the assessment "
                "appointment and was discharged.",
            ),
            (
                "case_record",
                "Building Better Relationships programme: placed on the waiting "
                "list; the programme was not started before the offence.",
            ),
        ],
        findings={
            "practice_failing": "The plan did not address alcohol use, a known factor in the "
            "previous violence",
            "missed_opportunity": "The relapse was an opportunity to add a drug rehabilitation "
            "requirement or licence condition",
            "systemic_factor": "Waiting lists for accredited programmes delay the work that "
            "addresses risk",
        },
        analysis=[
            "Alcohol was recorded as a factor in each of {name}'s previous violent offences, but "
            "the sentence plan treated it as a welfare need rather than a risk factor.",
            "The programme waiting list was over five months at the time; nothing was offered "
            "in its place.",
        ],
        actions={
            "individual": [
                "The responsible officer to review the sentence plans of current cases where "
                "substance misuse is linked to offending.",
            ],
            "team": [
                "The team to agree interim one-to-one work for people waiting for accredited "
                "programmes.",
            ],
            "organisation": [
                "Report programme waiting lists to the senior leadership team monthly, with the "
                "numbers of high RoSH cases waiting.",
            ],
            "national": [
                "Share the impact of programme waiting lists with the HMPPS interventions team.",
            ],
            "external": [
                "Agree a fast-track assessment with the drug and alcohol service for people on "
                "licence who relapse.",
            ],
        },
        agency="substance_misuse",
        weight=1.0,
    ),
    "workload": Theme(
        label="Workload",
        section="systemic_factors",
        issues=[
            "Case held by a covering officer because of vacancies.",
            "Contact reduced because of capacity, not risk.",
        ],
        events=[
            (
                "case_record",
                "Case reallocated to a covering officer because of vacancies in the team.",
            ),
            (
                "case_record",
                "Appointment frequency reduced to monthly; the reason recorded is 'capacity'.",
            ),
        ],
        findings={
            "systemic_factor": "High workloads reduced the time available for this case",
            "practice_failing": "Contact was reduced because of capacity, not risk",
        },
        analysis=[
            "The workload management tool showed the responsible officer at between 130% and "
            "150% of capacity during the review period; three posts in the team were vacant.",
            "The responsible officer prioritised cases by the RoSH level the system displayed, "
            "which for {name} was out of date.",
        ],
        actions={
            "team": [
                "The senior probation officer to review allocations weekly while the team has "
                "vacancies, and record the cases held above capacity.",
            ],
            "organisation": [
                "Report to the senior leadership team the workload of staff holding cases "
                "subject to SFO reviews, and the vacancy plan for the team.",
            ],
            "national": [
                "Share with HMPPS the link between workload and the findings of this review for "
                "the national workforce plan.",
            ],
        },
        weight=1.0,
    ),
    "transition": Theme(
        label="Transition from youth to adult services",
        section="planning",
        issues=[
            "Transfer from the youth offending team without a joint meeting.",
            "Information held by the youth offending team not passed on.",
        ],
        events=[
            (
                "other",
                "Case transferred from the youth offending team at {name}'s 18th birthday; "
                "no transfer meeting was held.",
            ),
            (
                "case_record",
                "Youth offending team assessment received; it described gang "
                "affiliation that the adult assessment did not mention.",
            ),
        ],
        findings={
            "practice_failing": "The adult assessment did not use the youth offending team's "
            "information",
            "missed_opportunity": "A joint transfer meeting would have passed on the concerns "
            "about gang affiliation",
            "systemic_factor": "The transition protocol with the youth offending team is not "
            "followed",
        },
        analysis=[
            "The transfer protocol requires a three-way meeting; the youth offending team and "
            "probation each thought the other would arrange it.",
            "The concerns about exploitation by older men, clear in the youth records, were not "
            "known to the adult responsible officer.",
        ],
        actions={
            "individual": [
                "The responsible officer to read the youth offending team records of current "
                "cases transferred in the last year.",
            ],
            "team": [
                "The team to hold a transfer meeting for every case coming from the youth "
                "offending team.",
            ],
            "organisation": [
                "Audit compliance with the youth to adult transition protocol and report to the "
                "youth justice management board.",
            ],
            "external": [
                "Agree with the youth offending team who arranges the transfer meeting and "
                "within what time.",
            ],
        },
        agency="youth_offending_team",
        needs="young",
        weight=2.5,
    ),
}

# The agencies an external action names, by kind; "police" is the case's own force.
AGENCIES = {
    "police": "{police}",
    "housing": "the local authority housing options team",
    "mental_health": "the community mental health team",
    "substance_misuse": "the drug and alcohol service",
    "youth_offending_team": "the youth offending team",
    "childrens_services": "the local authority children's services",
}

# Good practice (the inspection: management oversight, information-sharing to assess risk,
# prison visits in sentence planning, a challenging person helped to mental health services and
# accommodation, effective release planning). Expected practice is not good practice unless it
# was kept up in adverse circumstances.
GOOD_PRACTICE = [
    (
        "Management oversight at the point of release",
        "The senior probation officer reviewed the release plan with the responsible officer "
        "and set clear actions, which were completed before release; this is an example of "
        "oversight adding to the plan rather than recording it.",
    ),
    (
        "Information sharing with the police to assess risk",
        "The responsible officer requested and analysed police information at the start of "
        "supervision, and the assessment explained how it changed the view of risk.",
    ),
    (
        "Prison visits built into sentence planning",
        "The responsible officer visited {name} twice in {prison} before release, which built "
        "a working relationship and informed the licence conditions.",
    ),
    (
        "Persistence in engaging a challenging individual",
        "Despite {name}'s hostility, the responsible officer kept contact going and secured a "
        "mental health assessment and accommodation, which stabilised {name} for several "
        "months.",
    ),
    (
        "Effective release planning",
        "The release plan was completed early, addressed each risk factor, and was shared with "
        "the police and the approved premises before release.",
    ),
    (
        "Swift recall when the risk escalated",
        "When {name} breached the exclusion zone, the responsible officer and duty manager "
        "initiated recall on the same day and informed the police, who arrested {name} within "
        "hours.",
    ),
]
GOOD_PRACTICE_ACTIONS = [
    "Present the good practice in this case at the quarterly best practice forum.",
    "Include the case in the induction material for newly qualified officers.",
    "Share the release planning in this case as an example in the practice bulletin.",
]

# Chronology entries that are not significant, by source.
ROUTINE_EVENTS = {
    "case_record": [
        "Supervision appointment attended. {name} reported no change in circumstances.",
        "Office appointment attended; the session covered employment and {his} weekly routine.",
        "Telephone contact with {name}, who said {his} accommodation was stable.",
        "Appointment rearranged at {name}'s request because of a medical appointment; evidence "
        "provided.",
        "Letter sent confirming the next three appointments and the requirements of the "
        "{supervision}.",
        "Home visit completed; the address was suitable and no concerns were noted.",
        "Referral made to the education, training and employment service.",
        "Supervision session: work on consequences of offending using the structured workbook.",
        "Appointment attended late; {name} said the bus had been cancelled.",
        "Case discussed in supervision with the senior probation officer; no change to the plan.",
        "Three-way meeting with {name} and the housing support worker.",
        "{name} reported starting part-time work in a warehouse.",
    ],
    "oasys": [
        "OASys review completed at the planned interval; RoSH remained {rosh}.",
        "OASys assessment countersigned by the senior probation officer.",
        "Sentence plan objectives reviewed: accommodation, employment and thinking skills.",
    ],
    "prison": [
        "Sentence planning meeting in {prison}; {name} agreed to complete a victim awareness "
        "course.",
        "Prison offender manager recorded good behaviour on the wing.",
        "Transferred to a category C prison.",
        "Pre-release meeting held with the prison offender manager and community responsible "
        "officer.",
    ],
    "police": [
        "Police National Computer check completed; no new matters recorded.",
        "Police confirmed no call-outs to the home address in the previous month.",
        "Joint home visit with the police offender manager; no concerns.",
    ],
    "court": [
        "Review hearing at {court}: the court noted good progress.",
    ],
    "housing": [
        "Moved into approved premises; induction completed and rules explained.",
        "Housing application submitted to the local authority.",
        "Tenancy signed for a one-bedroom flat.",
        "Approved premises keyworker session: {name} settled and compliant with the curfew.",
    ],
    "health": [
        "GP appointment attended; {name} reported back pain.",
        "Drug test negative.",
    ],
    "mental_health": [
        "Liaison and diversion assessment: no acute mental health needs identified.",
        "Mental health review appointment attended; medication unchanged.",
    ],
    "childrens_services": [
        "Children's services confirmed no current involvement with the household.",
    ],
    "adult_social_care": [
        "Adult social care assessment: no eligible care needs.",
    ],
    "mappa": [
        "MAPPA level 1 review: management by probation alone confirmed.",
        "MAPPA meeting minutes received; actions unchanged.",
    ],
    "interview": [
        "Interview with the responsible officer, who recalled that {name} presented as settled "
        "at this time.",
    ],
    "other": [
        "Employment support service: CV completed.",
        "Victim liaison officer confirmed the exclusion zone remained appropriate.",
    ],
}
# How often each source appears among the routine entries of the supervision.
ROUTINE_SOURCE_WEIGHTS = {
    "case_record": 52,
    "oasys": 7,
    "prison": 3,
    "police": 8,
    "court": 2,
    "housing": 8,
    "health": 4,
    "mental_health": 4,
    "childrens_services": 3,
    "adult_social_care": 1,
    "mappa": 4,
    "interview": 1,
    "other": 3,
}

# Entries before the review period: previous orders and sentences, the history that chronologies
# drown in. (source, event, significant?, emerging issue or "")
HISTORY_EVENTS = [
    (
        "court",
        "Convicted at {court} of assault occasioning actual bodily harm on a former "
        "partner; community order with a rehabilitation activity requirement.",
        True,
        "Domestic abuse towards a partner; the pattern of previous offending.",
    ),
    (
        "court",
        "Convicted of possession of a bladed article; suspended sentence order.",
        True,
        "Carrying weapons.",
    ),
    ("court", "Convicted of theft from a shop; fine.", False, ""),
    ("court", "Convicted of burglary of a dwelling; 18 months' imprisonment.", False, ""),
    (
        "case_record",
        "Previous order: supervision appointments attended with some lateness.",
        False,
        "",
    ),
    (
        "case_record",
        "Previous order breached for failing to attend; order revoked and re-sentenced.",
        True,
        "Poor compliance with supervision.",
    ),
    (
        "case_record",
        "Previous order completed; the termination report noted limited "
        "engagement with the programme.",
        False,
        "",
    ),
    ("prison", "Received into {prison}.", False, ""),
    ("prison", "Adjudication in {prison} for fighting on the wing.", True, "Violence in custody."),
    ("prison", "Completed the Thinking Skills Programme in custody.", False, ""),
    ("oasys", "OASys assessment on the previous order: RoSH medium to known adults.", False, ""),
    (
        "police",
        "Police call-out to a former partner's address; no further action.",
        True,
        "Domestic abuse call-outs without charge.",
    ),
    (
        "mental_health",
        "Admitted to hospital under the Mental Health Act for two weeks.",
        True,
        "History of mental ill-health linked to offending.",
    ),
    ("housing", "Lost local authority tenancy through rent arrears.", False, ""),
    (
        "court",
        "Pre-sentence report prepared, proposing a community order with a rehabilitation "
        "activity requirement.",
        False,
        "",
    ),
    (
        "court",
        "Convicted of common assault on a stranger outside a public house; fine and compensation.",
        True,
        "Alcohol-related violence in public.",
    ),
    (
        "court",
        "Convicted of criminal damage to a former partner's car; conditional discharge.",
        True,
        "Targeting a former partner.",
    ),
    (
        "court",
        "Convicted of breach of a restraining order; 12 weeks' imprisonment.",
        True,
        "Disregard for a court order protecting a former partner.",
    ),
    ("court", "Convicted of possession of a Class A drug; community order.", False, ""),
    ("court", "Convicted of driving while disqualified; fine.", False, ""),
    (
        "court",
        "Convicted of affray; 6 months' imprisonment suspended for 18 months.",
        True,
        "Violence in public, with others.",
    ),
    (
        "police",
        "Arrested for assault on a partner; the partner withdrew her statement.",
        True,
        "Domestic abuse allegations not proceeded with.",
    ),
    ("police", "Police intelligence: associating with known drug suppliers.", False, ""),
    (
        "case_record",
        "Previous licence: recalled after failing to reside at the approved address.",
        True,
        "Non-compliance with licence conditions.",
    ),
    ("case_record", "Previous order: unpaid work requirement completed.", False, ""),
    (
        "prison",
        "Released from {prison} at the automatic release point, on licence to probation.",
        False,
        "",
    ),
    (
        "prison",
        "Self-harm incident in {prison}; a self-harm care plan was opened.",
        True,
        "Risk of self-harm in custody.",
    ),
    (
        "oasys",
        "OASys assessment on the previous sentence: RoSH high to known adults.",
        True,
        "Previously assessed as a high risk of serious harm.",
    ),
    (
        "mental_health",
        "Community mental health team assessment: diagnosis of emotionally unstable "
        "personality disorder.",
        True,
        "Personality disorder diagnosed.",
    ),
    ("health", "Treated in hospital after an overdose.", False, ""),
    (
        "housing",
        "Evicted from a hostel for threatening staff.",
        True,
        "Threatening behaviour towards staff.",
    ),
]

# Significant entries that are not tied to a theme, and their emerging issues.
NOTABLE_EVENTS = [
    (
        "case_record",
        "{name} disclosed that {he_she} had been threatened by associates over a debt.",
    ),
    ("police", "{name} arrested on suspicion of a public order offence; no further action."),
    ("case_record", "{name} missed two appointments and was not contactable for three weeks."),
    (
        "oasys",
        "RoSH recorded as {rosh} on release without analysis of the change in circumstances.",
    ),
    ("case_record", "{name} expressed anger towards a former partner in supervision."),
    ("housing", "Approved premises warning issued for returning after the curfew."),
    (
        "childrens_services",
        "Children's services enquiry about {name}'s contact with a partner's children.",
    ),
    ("mappa", "MAPPA meeting noted concerns about {name}'s associates; no actions set."),
]
NOTABLE_ISSUES = [
    "Change in circumstances not followed by a review of the risk.",
    "Risk indicators not linked to the risk management plan.",
    "Professional curiosity: the disclosure was not explored.",
    "A potential warning sign, recorded but not analysed.",
    "Concern about the safety of others, not followed up.",
]

# The entry that starts the supervision, by whether it began with a release.
SUPERVISION_STARTS = {
    True: (
        "prison",
        "Released from {prison} on {supervision}; reported to the probation office the same day.",
    ),
    False: (
        "court",
        "Sentenced at {court} to {a_supervision}; first appointment with the "
        "responsible officer arranged.",
    ),
}

# The offence itself and the charge, which close every chronology.
SFO_EVENTS = [
    ("police", "{name} arrested on suspicion of {offence}.", "The serious further offence."),
    (
        "police",
        "{name} charged with {offence} and remanded in custody; first appearance at "
        "{court} on {hearing_day}.",
        "Charge for a qualifying offence: SFO review notified.",
    ),
]


# --- The narrative sections -----------------------------------------------------------------

METHODOLOGY_OPENINGS = [
    "This review was completed by an SFO reviewer of {reviewing}'s public protection team, who "
    "has had no involvement in the management of the case and is outside its line management.",
    "The reviewer is a senior probation officer in the SFO review team of {reviewing} and has no "
    "line management responsibility for the staff who managed {name}.",
]
METHODOLOGY_PERIOD = [
    "The review covers the period from {rps} to the offence on {offence_day}. Events before then "
    "are referred to where they informed the assessment of risk.",
    "The review focuses on the period from {rps}, when the current supervision was being "
    "planned, to the offence on {offence_day}.",
]
METHODOLOGY_HISTORY = [
    "Because of the length of {name}'s contact with probation, the review also examines the "
    "supervision of {his} previous orders and licences in detail, and the chronology includes "
    "every recorded contact since then.",
    "The chronology records all contact with {name} from {his} first order, so that the review "
    "can consider how {his} risk developed over time.",
]
METHODOLOGY_EXTRAS = [
    "{name} was not interviewed, as criminal proceedings are ongoing.",
    "The police were asked to confirm the circumstances of the offence, which are summarised "
    "from the case summary provided to the court.",
    "The staff interviewed were offered the support of the employee assistance programme and "
    "were given the opportunity to comment on the factual accuracy of the draft.",
    "The review was completed within the three months set by the SFO procedures.",
    "Interviews were held on a video call and notes were shared with each interviewee.",
]
METHODOLOGY_NO_AGENCIES = [
    "No other agency contributed to the review; its remit is probation practice.",
]
METHODOLOGY_AGENCIES = [
    "The police and the community mental health team provided information for the review, and "
    "their contribution is reflected in the section on multi-agency working.",
    "The MAPPA coordinator provided the minutes of all meetings held about {name}.",
]

SUMMARY_OPENINGS = [
    "{name} is {age} years old. At the time of the offence {name} was subject to {a_supervision} "
    "managed by {provider} from {supervision_day}, with the risk of serious harm recorded as "
    "{rosh}, and {mappa}.",
    "{name}, aged {age}, was supervised by {team} of {provider} on {a_supervision}, which began "
    "on {supervision_day}. The risk of serious harm was assessed as {rosh}; {name} was {mappa}.",
]
SUMMARY_CLOSINGS = [
    "On {offence_day}, {name} was arrested on suspicion of {offence}. {name} was charged on "
    "{charge_day} and appeared at {court} on {hearing_day}, when the case was identified as a "
    "serious further offence.",
    "{name} was charged with {offence} on {charge_day}, following an incident on {offence_day}. "
    "The first hearing was at {court} on {hearing_day}.",
]

# Each analysis section: sentences that find practice sufficient, and sentences that do not.
ANALYSIS = {
    "assessment": (
        [
            "The initial assessment was completed on time and drew on the pre-sentence report, "
            "the previous convictions and police information.",
            "The assessment identified the key risk factors and analysed how they had "
            "contributed to previous offending.",
            "The RoSH level was justified with reference to the evidence, and the assessment was "
            "countersigned by the senior probation officer with comments.",
            "The responsible officer's assessment showed a clear understanding of the "
            "circumstances in which {name} had used violence.",
            "Risk to children and to known adults was considered separately, with reasons.",
            "The assessment was reviewed when {name} was released, and the review was meaningful "
            "rather than copied forward.",
        ],
        [
            "The assessment described the previous offences but did not analyse them: it did not "
            "say what they showed about the circumstances in which {name} was likely to cause "
            "harm.",
            "The RoSH level of {rosh} was not adequately justified; the evidence recorded would "
            "have supported a higher level.",
            "Large parts of the assessment were copied forward from the previous one, so it did "
            "not reflect {name}'s circumstances at the time.",
            "Risk to children was not considered, although {name} was known to have contact with "
            "a partner's children.",
            "The assessment was completed late, three weeks after the start of supervision.",
            "Information held by the police was not requested, so the assessment relied on what "
            "{name} said.",
        ],
    ),
    "planning": (
        [
            "The sentence plan addressed each risk factor with realistic objectives, agreed with "
            "{name}.",
            "Licence conditions were proportionate and linked to the identified risks.",
            "The plan sequenced the interventions sensibly, starting with accommodation and "
            "substance misuse before offence-focused work.",
            "Planning for release began early, and the plan was shared with the police and the "
            "approved premises.",
        ],
        [
            "The sentence plan listed generic objectives (employment, accommodation) that did not "
            "address the factors linked to {name}'s violence.",
            "The plan was not reviewed after significant changes in {name}'s circumstances.",
            "No contingency plan was in place for a loss of accommodation or a relapse into "
            "substance misuse.",
            "The licence conditions did not include an exclusion zone, although the victim of "
            "the index offence lived locally.",
            "The plan did not say how the responsible officer would monitor {name}'s "
            "relationships.",
        ],
    ),
    "implementation": (
        [
            "The level of contact was appropriate to the assessed risk and {name} attended most "
            "appointments.",
            "Supervision sessions were purposeful and focused on the factors in the plan.",
            "The responsible officer showed professional curiosity, testing what {name} said "
            "against other information.",
            "Home visits were completed at the frequency the plan required.",
            "Referrals to partner services were made promptly and followed up.",
        ],
        [
            "Contact became less frequent over the review period without a recorded decision to "
            "reduce it.",
            "Supervision sessions were largely check-ins and did not address the risk factors.",
            "There was an over-reliance on {name}'s self-report, which was rarely tested.",
            "Missed appointments were not enforced in line with the national standards.",
            "No home visit was completed in the last six months of the supervision.",
            "The planned interventions were not delivered; {name} remained on a waiting list.",
        ],
    ),
    "reviewing": (
        [
            "The case was reviewed after each significant event, and the reviews changed the "
            "plan where needed.",
            "Management oversight was evident at key points and added to the responsible "
            "officer's thinking.",
            "Records were clear and timely, and showed the reasoning behind decisions.",
        ],
        [
            "The risk assessment was not reviewed after {name}'s arrest, which was a significant "
            "event.",
            "Management oversight was recorded but did not challenge the assessment or set "
            "actions.",
            "Records were brief and did not show what had been discussed or decided.",
            "The case was reallocated twice in the review period, and the handovers did not "
            "include a review of the risk.",
        ],
    ),
    "key_risk_factors": (
        [
            "The key risk factors (the use of violence in relationships, alcohol misuse and "
            "unstable accommodation) were identified and understood by the responsible officer.",
            "The responsible officer understood that {name}'s risk increased when {his} "
            "relationships broke down, and monitored this.",
            "The link between {name}'s mental health and {his} offending was recognised and "
            "addressed.",
        ],
        [
            "The review found that the responsible officer did not fully understand the link "
            "between {name}'s substance misuse and {his} use of violence.",
            "Indicators of increasing risk (lost accommodation, renewed drug use, a new "
            "relationship) were recorded separately and not brought together.",
            "The potential for harm to a new partner was not considered, although {name}'s "
            "previous offending had been against partners.",
            "Possible gang affiliation, recorded by the police, was not considered as a risk "
            "factor.",
        ],
    ),
    "risk_management_plan": (
        [
            "The risk management plan set out the controls, interventions and contingency "
            "measures and who was responsible for each.",
            "The plan was shared with the police and reviewed at MAPPA meetings.",
            "The contingency plan was clear and was followed when the risk increased.",
        ],
        [
            "The risk management plan repeated the sentence plan rather than setting out how "
            "the risk would be managed.",
            "The plan did not say what would happen if {name} lost {his} accommodation or "
            "stopped engaging.",
            "The plan depended on agencies whose involvement had ended, and it was not updated.",
            "The controls in the plan (curfew, exclusion zone) were not monitored.",
        ],
    ),
    "systemic_factors": (
        [
            "The team was fully staffed during the review period and workloads were within "
            "capacity.",
            "The review found no organisational or procedural factors that contributed to the "
            "management of the case.",
        ],
        [
            "The responsible officer's workload was above 130% of capacity for most of the "
            "review period, and the team had three vacant posts.",
            "The approved premises move-on policy led to {name} leaving at the end of the "
            "standard placement although {his} circumstances were not stable.",
            "The recall policy was applied inconsistently: positive drug tests did not lead to "
            "a review of the licence.",
            "The criteria for MAPPA level 2 were understood differently by the police and "
            "probation.",
            "Frequent changes of responsible officer reflected the provider's staffing "
            "difficulties rather than the needs of the case.",
        ],
    ),
}

MULTI_AGENCY_THIN = [
    "{name} was {mappa}. There was no other multi-agency involvement of note.",
    "Contact with other agencies was limited to routine police checks.",
    "The police were informed of {name}'s release, as required.",
    "Information was shared with the police when requested.",
    "The review did not identify any issues with multi-agency working.",
]
MULTI_AGENCY_FULL = {
    "general": [
        "Several agencies were involved with {name} during the review period, and the quality "
        "of their joint working is central to the judgement of this review.",
        "The review considered what each agency knew, when it knew it, and whether the "
        "information reached probation in time to inform the management of the risk.",
        "No agency held the whole picture; the analysis below considers why it did not come "
        "together.",
    ],
    "mappa": [
        "{name} was {mappa}. Information passed between the police and probation, but housing "
        "and mental health services were not involved, and the records do not show whether "
        "their information was sought.",
        "The MAPPA level was not reviewed when {his} circumstances changed; the review considers "
        "that the criteria for a higher level were met after the arrest.",
        "Actions agreed under MAPPA were not followed up, and two were still open at the time of "
        "the offence.",
    ],
    "iom": [
        "{name} was managed under the Integrated Offender Management scheme. The police IOM "
        "officer saw {name} regularly, but their contacts were recorded on a separate system "
        "and were not visible to the responsible officer.",
        "The IOM joint visits were a strength, but the role of the police in the risk "
        "management plan was not defined.",
    ],
    "police": [
        "Information exchange with {police} was prompt when probation asked for it, but the "
        "police did not volunteer the intelligence they held about {name}'s associates.",
        "The police call-out to the address was shared a week later; by then {name} had "
        "missed an appointment and the link was not made.",
        "The responsible officer and the police offender manager carried out joint home visits, "
        "which gave a fuller picture of the household.",
    ],
    "childrens_services": [
        "Children's services were not told that {name} was living with a partner who had "
        "children, so no assessment of the risk to the children was made.",
        "Probation was not invited to the children's services strategy meeting, and did not "
        "ask for its outcome.",
    ],
    "mental_health": [
        "The community mental health team assessed {name} as not meeting its threshold. The "
        "decision was reasonable on the information it had, but it did not have probation's "
        "assessment of risk.",
        "The GP had not been told that {name} was under probation supervision, and probation "
        "had not sought the GP's view.",
    ],
    "closing": [
        "The review concludes that multi-agency working was not sufficient to manage the risk: "
        "each agency acted reasonably on what it knew, but nobody brought the information "
        "together.",
        "Multi-agency working in this case was largely effective, and the weaknesses were in "
        "how probation used the information it received.",
    ],
}

CONCLUSION_OPENINGS = [
    "This review has considered the management of {name} from {rps} to the offence on "
    "{offence_day}, and whether the probation service did what it reasonably could to manage "
    "the risk of serious harm.",
    "The review has looked at the assessment, planning, delivery and review of the work with "
    "{name}, and at the contribution of other agencies, to reach a judgement on the management "
    "of the risk of serious harm.",
]
JUDGEMENT_CLEAR = {
    "yes": [
        "The review finds that all reasonable steps were taken to manage the risk of serious "
        "harm posed by {name}.",
        "In the judgement of this review, all reasonable steps were taken to manage the risk of "
        "serious harm.",
    ],
    "no": [
        "The review finds that not all reasonable steps were taken to manage the risk of serious "
        "harm posed by {name}.",
        "In the judgement of this review, not all reasonable steps were taken to manage the risk "
        "of serious harm.",
    ],
}
# What the inspection counted as no clear judgement: the conclusion describes what happened and
# hedges, instead of answering the question.
JUDGEMENT_HEDGED = [
    "It is not possible to say whether different practice would have prevented the offence, "
    "which was not predictable on the information available.",
    "There were strengths and weaknesses in the management of the case, and on balance the "
    "practice was in many respects in line with what was expected.",
    "The offence could not have been foreseen, although some aspects of practice could have "
    "been better.",
]
REASONS = {
    "yes": [
        "The risk was assessed accurately and the plan addressed it; the controls in place were "
        "monitored and enforced.",
        "The responsible officer acted on each sign of increasing risk and sought management "
        "oversight when needed.",
        "The shortfalls identified in this review did not affect the management of the risk of "
        "serious harm.",
        "Information from other agencies was sought and used in the assessment.",
    ],
    "no": [
        "The risk assessment was not reviewed after significant events that indicated "
        "increasing risk.",
        "Information that was available, or could have been obtained, was not used to assess "
        "the risk.",
        "The risk management plan did not set out how the known risks would be managed, and "
        "its controls were not monitored.",
        "Non-compliance was not enforced, and recall was not considered when it should have been.",
    ],
}

GOOD_PRACTICE_NOTES = {
    "local": "This is recommended for local dissemination.",
    "national": "This is recommended for national dissemination through the SFO reference group.",
    "": "",
}

AREAS_OPENINGS = [
    "The review identified the following areas for improvement:",
    "The areas for improvement arising from this review are:",
]
AREAS_CLOSINGS = [
    "Each is addressed in the action plan, with an owner and a date.",
    "The action plan sets out how each will be addressed at the level of the individual, the "
    "team and the organisation.",
    "The actions have been agreed with the senior managers responsible for them.",
]

NEXT_STEPS = [
    "The review and the action plan will be shared with the staff involved in the management "
    "of the case, with redactions where needed, and they will be invited to comment on the "
    "findings.",
    "Progress against the action plan will be monitored monthly by the head of public "
    "protection until every action is verified.",
    "The learning from this review will be presented at the quarterly SFO learning forum.",
    "The findings relevant to {police} will be shared with the MAPPA Strategic Management Board.",
    "The victim liaison officer will tell the victim's family about their entitlement to a "
    "disclosure of this review.",
    "The findings will be included in the provider's annual analysis of SFO themes.",
    "The responsible officer's line manager will meet the responsible officer to discuss the "
    "findings that concern them, with a focus on learning.",
]

OWNERS = {
    "individual": [
        "Responsible officer",
        "Senior probation officer, {team}",
        "Responsible officer and line manager",
    ],
    "team": [
        "Senior probation officer, {team}",
        "Quality development officer",
        "Team manager, approved premises",
    ],
    "organisation": [
        "Head of public protection",
        "Head of operations",
        "Head of quality and performance",
        "Area manager",
    ],
    "national": ["Head of public protection", "Regional probation director"],
    "external": ["Head of public protection", "Head of partnerships"],
}

EVIDENCE = [
    "Training attendance confirmed by the learning and development team; supervision record "
    "shows the learning discussed and applied to two current cases.",
    "Audit of ten cases three months later shows the new practice in place in nine of them.",
    "Briefing delivered at the team meeting; minutes attached, and the practice guidance "
    "updated on the intranet.",
    "Revised guidance issued to all staff; compliance report presented to the quality board.",
    "Agreement signed with the partner agency; first quarterly exchange of information held.",
    "Management report in use since the start of the quarter; exceptions followed up weekly.",
]

# Local QA comments for standards answered "partly" or "no".
QA_COMMENTS = [
    "Addressed in part; the reviewer agreed to strengthen this before countersignature.",
    "Could go further in explaining why, not only what.",
    "Discussed with the reviewer; accepted as proportionate for this case.",
]
QA_OVERALL = [
    "A thorough review with a clear judgement. Passed for countersignature.",
    "Passed. The analysis of why practice fell short is clear; the action plan is proportionate.",
    "Passed after discussion with the reviewer.",
]

# Actions not tied to a theme, for plans longer than the themes' own actions.
GENERIC_ACTIONS = {
    "individual": [
        "The responsible officer and their line manager to discuss the findings of this review "
        "in supervision and agree how they apply to the rest of the caseload.",
        "The responsible officer to complete a reflective learning log on this case.",
        "The previous responsible officer to be given feedback on the findings that concern "
        "their management of the case.",
    ],
    "team": [
        "The senior probation officer to present the learning from this review at a team "
        "meeting and record the discussion.",
        "The team to review all current cases with similar risk factors against the findings "
        "of this review.",
    ],
    "organisation": [
        "Add the findings of this review to the provider's thematic analysis of SFO reviews "
        "and report the themes to the senior leadership team.",
        "Include the learning from this review in the quarterly practice bulletin.",
    ],
    "national": [
        "Share the learning from this review with the national SFO reference group.",
    ],
}

# What a review says after retelling a significant event: whether practice responded to it.
COMMENTS_BAD = [
    "This was not discussed with the senior probation officer.",
    "The record does not show whether this was considered in the assessment of risk.",
    "The risk assessment was not reviewed as a result.",
    "No action was recorded.",
    "There is no evidence that the information was shared with the police.",
    "The responsible officer told the reviewer that this was not seen as significant at the time.",
    "This should have prompted a review of the risk management plan.",
    "The significance of this for the risk to a partner was not recognised.",
]
COMMENTS_GOOD = [
    "The responsible officer responded appropriately and recorded the reasons.",
    "This was discussed in supervision and the plan was updated.",
    "The information was shared with the police on the same day.",
    "This was an appropriate and proportionate response.",
    "The responsible officer followed this up at the next appointment.",
]

# What the staff interviewed told the reviewer: the analysis sections quote them.
INTERVIEWS = [
    "In interview, the responsible officer said that {name} had presented as settled and "
    "motivated, and that there had been no indication of the offence to come.",
    "The responsible officer told the reviewer that {his} caseload at the time made it "
    "difficult to see {name} as often as the plan required.",
    "The senior probation officer said that the case had not been flagged as a concern and had "
    "therefore not been discussed in detail in supervision.",
    "The responsible officer reflected that, with hindsight, more could have been done to check "
    "what {name} said about {his} relationships.",
    "The previous responsible officer described {name} as guarded and difficult to engage, and "
    "said that this had been recorded in the handover.",
    "The responsible officer said that the handover from the previous officer had been a brief "
    "conversation and that the records had not been read in full.",
    "Staff described a team culture in which home visits were seen as optional for medium RoSH "
    "cases.",
    "The senior probation officer acknowledged that oversight had focused on timeliness rather "
    "than the quality of the risk assessment.",
    "The responsible officer said that the police were contacted when concerns arose, but that "
    "responses were slow and were not always recorded.",
    "The approved premises manager described {name} as compliant with the rules, but noted that "
    "{his} associations outside the premises were not known.",
    "The responsible officer told the reviewer that they had not been aware of the police "
    "intelligence, which would have changed their view of the risk.",
    "The responsible officer had received training in the assessment of risk of serious harm two "
    "years earlier and said they would have welcomed a refresher.",
    "The reviewer found the staff interviewed open and reflective, and their accounts consistent "
    "with the records.",
    "The senior probation officer said that vacancies in the team had meant that cases were "
    "allocated by capacity rather than by the skills the case required.",
    "The responsible officer said that the decision not to enforce had been discussed informally "
    "with a colleague but not with a manager.",
    "The case administrator confirmed that the letters recorded had been sent.",
    "The prison offender manager said that the release plan had been agreed late because the "
    "address was confirmed only days before release.",
    "The responsible officer described the weekly appointments as focused on practical matters, "
    "because {name} had pressing problems with money and housing.",
]
COMMENTS_ROUTINE = [
    "No concerns were recorded.",
    "The record of this contact is brief.",
    "This was in line with the plan.",
    "The record does not say whether risk was discussed.",
    "The responsible officer's record of the session is detailed and reflective.",
    "Nothing in the record suggests a change in the level of risk.",
]
# The detail a long review adds to a retold contact: what the record says, at length.
DETAILS = [
    "The record notes that the session lasted about thirty minutes and covered {his} finances, "
    "{his} contact with {his} family and {his} plans for work.",
    "The responsible officer recorded that {name} was calm, made good eye contact and answered "
    "questions openly.",
    "The record lists the licence conditions that were discussed, and notes that {name} said "
    "{he_she} understood them.",
    "According to the record, {name} arrived on time and was seen in the interview room at the "
    "office.",
    "The responsible officer recorded that {name} asked for help with a benefits claim, and a "
    "referral was made to the support service.",
    "The record does not mention {his} partner, although the previous contact had recorded "
    "that the relationship was under strain.",
    "The entry records the next appointment date and that an appointment letter was handed to "
    "{name}.",
    "The record notes that {name} had been drinking the night before but was sober at the "
    "appointment.",
    "The record describes a discussion about {his} sleep, which {name} said had improved.",
    "The entry was made on the same day, by the responsible officer, and is clear.",
    "The responsible officer recorded that the issue would be followed up at the next "
    "appointment; the next record does not mention it.",
    "The record notes that a colleague saw {name} because the responsible officer was on leave.",
]
