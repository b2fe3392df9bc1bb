"""A realistic sample ledger: the Wikimedia policy pack plus a year of Steering Committee work.

``hrgov demo DIR`` calls ``build_demo``. The scenario is invented: no real person appears
anywhere (authors and attendees are roles), evidence links point under https://example.org/,
and every date is computed from ``today``, so that overdue work is overdue and "due soon" is
soon whenever the demo is built::

    >>> from pathlib import Path
    >>> demo = build_demo(Path("/tmp/demo-ledger"))  # doctest: +SKIP
    >>> demo.ledger.record(demo.superseded_decision)["status"]  # doctest: +SKIP
    'superseded'
    >>> demo.ledger.record(demo.superseded_decision, at=demo.before)["status"]  # doctest: +SKIP
    'adopted'

Everything is written through ``hrgov.operations`` (one commit per change, dated the day the
change happened), so the git history reads like a year of a secretary's work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hrgov import ledger as ledgers
from hrgov import operations, policy
from hrgov.ledger import Ledger

ORGANISATION = "Wikimedia Foundation (demo)"
SECRETARY = "Committee Secretary <hrsc-secretary@example.org>"
DEPUTY = "Deputy Committee Secretary <hrsc-deputy@example.org>"

STEERING_COMMITTEE = (
    "Chair of the Human Rights Steering Committee",
    "General Counsel",
    "Chief Product and Technology Officer",
    "Head of Trust and Safety",
    "Chief Talent and Culture Officer",
    "Head of Security",
    "Head of Global Advocacy",
    "Human Rights Lead (Legal)",
    "Committee Secretary",
)

# Meetings: label → days before today. Each is moved back to the Thursday on or before that
# day, as a committee meets on a fixed weekday: eight Steering Committee meetings about six
# weeks apart and one Executive Committee meeting (their bodies are given in the scenario).
MEETINGS = {
    "M1": 340,
    "M2": 294,
    "M3": 248,
    "M4": 202,
    "EX": 176,
    "M5": 156,
    "M6": 110,
    "M7": 64,
    "M8": 18,
}

# The scenario, one change per line: (when, operation, subject, details).
#
# when     "M3" is the day of meeting M3, "M3+9" nine days after it; a decision logged on a
#          meeting's day is taken at that meeting.
# dates    inside details (due, review_by, on) are days from today: -30 is a month ago.
# "@name"  refers to the record created by an earlier line with "as": "name".
# author   the secretary records meetings and decisions; the deputy keeps milestones current.
#
# operation: meeting (subject: body) | decision (title) | status (decision, new status) |
# milestone (title) | update / done (milestone) | assign (commitment) | department (slug).
SCENARIO: list[tuple[str, str, str, dict]] = [
    # -- M1: the year's work plan -----------------------------------------------------------
    ("M1", "meeting", "steering-committee", {
        "as": "M1", "quorum": True,
        "notes": "Work plan for the year agreed. Product screening and an independent impact "
                 "assessment are the first priorities.",
    }),
    ("M1", "decision", "Adopt the Steering Committee's work plan for the year", {
        "as": "work-plan", "commitments": ["steering-committee-coordination"],
        "owner": "steering-committee", "sensitivity": "public",
        "text": "The Committee adopts its work plan: product screening, an independent impact "
                "assessment, volunteer safety and a first public progress report.",
    }),
    ("M1", "decision", "Screen new product features for human-rights risk before launch", {
        "as": "screening",
        "commitments": ["dd-process-for-products-algorithms-grants-events",
                        "expert-guided-product-development"],
        "owner": "product-technology",
        "text": "Every new feature that handles contributor data or changes how content is "
                "ranked or moderated answers the human-rights checklist before launch.",
        "rationale": "The policy asks for due diligence on products; launch reviews already "
                     "exist, so the checklist adds little overhead.",
    }),
    ("M1", "decision", "Commission an independent human rights impact assessment", {
        "as": "hria", "commitments": ["periodic-hria", "ongoing-hrdd"], "owner": "legal",
        "rationale": "The last assessment predates the policy; the Board expects a fresh one.",
    }),
    ("M1", "milestone", "Publish the Steering Committee's terms of reference", {
        "as": "tor", "commitment": "steering-committee-coordination", "decision": "@work-plan",
        "due": -300, "sensitivity": "public",
    }),
    ("M1", "milestone", "Human-rights checklist in the product launch process", {
        "as": "checklist", "commitment": "dd-process-for-products-algorithms-grants-events",
        "decision": "@screening", "due": -255,
    }),
    ("M1", "milestone", "Select an independent assessor for the impact assessment", {
        "as": "assessor", "commitment": "periodic-hria", "decision": "@hria", "due": -285,
    }),
    ("M1", "milestone", "Publish the impact assessment's summary findings", {
        "as": "hria-findings", "commitment": "periodic-hria", "decision": "@hria", "due": -120,
    }),
    ("M1+30", "done", "@tor", {"evidence": ["https://example.org/hrsc/terms-of-reference"]}),
    ("M1+40", "update", "@checklist", {"status": "in-progress"}),
    # -- M2 --------------------------------------------------------------------------------
    ("M2", "meeting", "steering-committee", {"as": "M2", "quorum": True}),
    ("M2", "done", "@assessor", {"evidence": ["https://example.org/legal/hria-assessor-contract"]}),
    ("M2", "decision", "Publish an annual public human rights progress report", {
        "as": "report", "commitments": ["track-and-publicly-report",
                                        "report-progress-board-movement-public"],
        "owner": "communications", "sensitivity": "public",
        "text": "A yearly report, in plain language and translated into the ten most-read "
                "languages of the projects, on what the Foundation did under the policy.",
    }),
    ("M2", "decision", "Fund digital-security training for volunteers in high-risk regions", {
        "as": "training", "status": "proposed",
        "commitments": ["self-protection-resources", "movement-safety-learning"],
        "owner": "trust-and-safety",
        "rationale": "Volunteers in several regions face surveillance; training is cheap "
                     "compared with the harm. Pending a budget check.",
    }),
    ("M2", "milestone", "Draft the first public human rights progress report", {
        "as": "report-draft", "commitment": "track-and-publicly-report", "decision": "@report",
        "owner": "communications", "due": -30,
    }),
    ("M2+20", "done", "@checklist", {
        "evidence": ["https://example.org/product/launch-checklist-v1"],
    }),
    # -- M3 --------------------------------------------------------------------------------
    ("M3", "meeting", "steering-committee", {"as": "M3", "quorum": True}),
    ("M3", "status", "@training", {"status": "adopted",
                                   "note": "Budget confirmed by Finance for this year."}),
    ("M3", "decision", "Enhanced protection for at-risk contributors in the Central Asia region", {
        "as": "at-risk", "sensitivity": "restricted",
        "commitments": ["at-risk-volunteer-due-diligence", "defend-from-direct-threats"],
        "owner": "trust-and-safety",
        "text": "Offer account-security reviews, pseudonymity guidance and emergency support "
                "to contributors in the region who are at elevated risk after new legislation. "
                "Eligibility is assessed case by case by Trust and Safety; no list of "
                "contributors is kept in this ledger.",
        "rationale": "New national legislation criminalises some editing activity.",
    }),
    ("M3", "decision", "Review government data requests only through a GNI-aligned procedure", {
        "as": "data-requests", "sensitivity": "public",
        "commitments": ["resist-rights-violating-data-requests", "surveillance-mitigation"],
        "owner": "legal",
        "text": "No user data is disclosed to a government without a written review against "
                "the GNI Principles and international human rights law.",
    }),
    ("M3", "decision", "Require identity verification for administrators on high-risk wikis", {
        "as": "verification", "status": "rejected",
        "commitments": ["at-risk-volunteer-due-diligence"], "owner": "trust-and-safety",
        "rationale": "Rejected: a list of verified identities would expose the very volunteers "
                     "the policy sets out to protect; pseudonymity is itself a safety measure.",
    }),
    ("M3", "milestone", "Account-security reviews for at-risk contributors in the region", {
        "as": "reviews", "commitment": "at-risk-volunteer-due-diligence", "decision": "@at-risk",
        "owner": "trust-and-safety", "due": -70, "sensitivity": "restricted",
    }),
    ("M3", "milestone", "Translate the digital-security guide into 20 languages", {
        "as": "guide", "commitment": "self-protection-resources", "decision": "@training",
        "owner": "trust-and-safety", "due": -100,
    }),
    ("M3", "milestone", "Written procedure for reviewing government data requests", {
        "as": "procedure", "commitment": "resist-rights-violating-data-requests",
        "decision": "@data-requests", "due": -200, "sensitivity": "public",
    }),
    ("M3+30", "done", "@procedure", {
        "evidence": ["https://example.org/legal/data-request-procedure"],
    }),
    # -- M4: a Data Protection Office ---------------------------------------------------------
    ("M4", "meeting", "steering-committee", {"as": "M4", "quorum": True}),
    ("M4", "department", "data-protection", {
        "name": "Data Protection Office", "lead_role": "Data Protection Officer",
    }),
    ("M4", "decision", "Give data-request and privacy commitments to the Data Protection Office", {
        "as": "dpo", "commitments": ["resist-rights-violating-data-requests"],
        "owner": "executive",
    }),
    ("M4", "assign", "resist-rights-violating-data-requests", {
        "department": "data-protection",
        "reason": "The new Data Protection Office now handles every government data request; "
                  "Legal advises.",
    }),
    ("M4", "milestone", "Appoint the Data Protection Officer", {
        "as": "appoint", "commitment": "resist-rights-violating-data-requests",
        "decision": "@dpo", "due": -170,
    }),
    ("M4", "milestone", "Half-yearly transparency report with data-request statistics", {
        "as": "transparency", "commitment": "resist-rights-violating-data-requests",
        "due": -15, "sensitivity": "public",
    }),
    ("M4", "decision", "Revise the conduct-policy enforcement guidelines with volunteers", {
        "as": "conduct", "commitments": ["clear-enforceable-conduct-policies",
                                         "volunteer-harassment-free"],
        "owner": "trust-and-safety",
    }),
    ("M4", "milestone", "Consult volunteers on the revised enforcement guidelines", {
        "as": "consultation", "commitment": "clear-enforceable-conduct-policies",
        "decision": "@conduct", "due": -120,
    }),
    ("M4", "milestone", "Community ratification vote on the revised guidelines", {
        "as": "ratification", "commitment": "clear-enforceable-conduct-policies",
        "decision": "@conduct", "due": -40,
    }),
    ("M4+25", "done", "@appoint", {"evidence": ["https://example.org/jobs/dpo-appointment"]}),
    # -- Executive Committee -------------------------------------------------------------------
    ("EX", "meeting", "executive-committee", {
        "as": "EX", "quorum": True,
        "attendees": ["Chief Executive Officer", "General Counsel",
                      "Chief Product and Technology Officer", "Chief Talent and Culture Officer",
                      "Chief Communications Officer"],
        "notes": "Quarterly review of the Human Rights Steering Committee's work.",
    }),
    ("EX", "decision", "Include human-rights metrics in the annual Board update", {
        "as": "board-metrics", "owner": "executive", "review_by": -9,
        "commitments": ["annual-board-update", "board-oversight-via-executive-committee"],
    }),
    ("EX", "milestone", "Human-rights section of the annual Board update", {
        "as": "board-update", "commitment": "annual-board-update", "decision": "@board-metrics",
        "due": 14,
    }),
    # -- M5 --------------------------------------------------------------------------------
    ("M5", "meeting", "steering-committee", {"as": "M5", "quorum": True}),
    ("M5", "decision", "Set up a rights-holder advisory panel from underrepresented communities", {
        "as": "panel", "commitments": ["rightsholder-engagement", "knowledge-equity"],
        "owner": "community-programs",
        "text": "Twelve members drawn from at least eight language communities, meeting "
                "quarterly and paid for their time.",
    }),
    ("M5", "milestone", "Recruit the rights-holder advisory panel", {
        "as": "recruit", "commitment": "rightsholder-engagement", "decision": "@panel",
        "owner": "community-programs", "due": -90,
    }),
    ("M5", "milestone", "First meeting of the rights-holder advisory panel", {
        "as": "panel-meeting", "commitment": "rightsholder-engagement", "decision": "@panel",
        "owner": "community-programs", "due": 45,
    }),
    ("M5", "decision", "Adopt a crisis response protocol for events that endanger contributors", {
        "as": "crisis", "commitments": ["crisis-response-protocol"], "owner": "trust-and-safety",
    }),
    ("M5", "milestone", "Crisis response protocol approved, with an on-call rota", {
        "as": "protocol", "commitment": "crisis-response-protocol", "decision": "@crisis",
        "due": -100,
    }),
    ("M5", "milestone", "Crisis-response tabletop exercise", {
        "as": "tabletop", "commitment": "crisis-response-protocol", "decision": "@crisis",
        "due": 10,
    }),
    ("M5", "update", "@hria-findings", {"status": "in-progress"}),
    ("M5+10", "update", "@guide", {
        "due": -40, "reason": "Two translation vendors withdrew; volunteer translators are "
                              "being recruited through the language communities.",
    }),
    ("M5+20", "update", "@report-draft", {"status": "in-progress"}),
    ("M5+30", "update", "@hria-findings", {
        "due": -60, "reason": "The assessor needs six more weeks for interviews with volunteers "
                              "in three language communities.",
    }),
    ("M5+35", "done", "@consultation", {
        "evidence": ["https://example.org/conduct/consultation-summary"],
    }),
    # -- M6: screening extended ------------------------------------------------------------------
    ("M6", "meeting", "steering-committee", {"as": "M6", "quorum": True}),
    ("M6", "decision", "Extend human-rights screening to algorithms, models, grants and events", {
        "as": "screening-2", "supersedes": "@screening",
        "commitments": ["dd-process-for-products-algorithms-grants-events",
                        "expert-guided-product-development"],
        "owner": "product-technology",
        "text": "The launch checklist also applies to ranking and machine-learning models, to "
                "grants above the review threshold and to Foundation-funded events.",
        "rationale": "Six months of feature screening worked; the impact assessment's interim "
                     "findings show models and funded events carry comparable risks.",
    }),
    ("M6", "milestone", "Screening guidance for machine-learning models", {
        "as": "ml-guidance", "commitment": "dd-process-for-products-algorithms-grants-events",
        "decision": "@screening-2", "due": -20,
    }),
    ("M6", "milestone", "Human-rights questions in grant and event applications", {
        "as": "grant-questions", "commitment": "dd-process-for-products-algorithms-grants-events",
        "decision": "@screening-2", "owner": "grants", "due": 28,
    }),
    ("M6", "decision", "Train all staff on the Human Rights Policy within 90 days of joining", {
        "as": "staff-training", "commitments": ["staff-education"], "owner": "talent-culture",
    }),
    ("M6", "milestone", "Human Rights Policy module in staff onboarding", {
        "as": "module", "commitment": "staff-education", "decision": "@staff-training",
        "due": -70,
    }),
    ("M6", "milestone", "90% of staff have completed the Human Rights Policy module", {
        "as": "completion", "commitment": "staff-education", "decision": "@staff-training",
        "due": 75,
    }),
    ("M6", "assign", "track-and-publicly-report", {
        "department": "communications",
        "reason": "Communications publishes the progress report; Legal keeps the content review.",
    }),
    ("M6", "milestone", "Board approves publication of the progress report", {
        "as": "report-approval", "commitment": "track-and-publicly-report",
        "decision": "@report", "due": 25, "sensitivity": "public",
    }),
    ("M6", "update", "@reviews", {
        "status": "blocked",
        "reason": "The external security firm's contract is held up by sanctions screening.",
    }),
    ("M6+5", "done", "@protocol", {"evidence": ["https://example.org/trust-safety/crisis-protocol"]}),
    ("M6+12", "update", "@ratification", {
        "due": 40, "reason": "Volunteers asked for a longer consultation window so that the "
                             "guidelines can be translated before the vote.",
    }),
    ("M6+15", "update", "@recruit", {
        "status": "in-progress", "due": -50,
        "reason": "Too few applications from the Global South; the call is re-run in 14 "
                  "languages.",
    }),
    # -- M7 --------------------------------------------------------------------------------
    ("M7", "meeting", "steering-committee", {"as": "M7", "quorum": False,
                                             "notes": "Not quorate; decisions confirmed by "
                                                      "email within the week."}),
    ("M7", "status", "@data-requests", {
        "status": "implemented",
        "note": "Every request received since the procedure was adopted went through it.",
    }),
    ("M7", "update", "@hria-findings", {
        "due": 20, "reason": "Legal review of findings about third-party platforms takes longer "
                             "than planned.",
    }),
    ("M7", "decision", "Pilot an on-platform incident reporting tool on five wikis", {
        "as": "reporting", "owner": "product-technology",
        "commitments": ["ts-tools", "evaluate-on-platform-grievance-channels"],
    }),
    ("M7", "milestone", "Incident reporting tool live on five pilot wikis", {
        "as": "pilot", "commitment": "ts-tools", "decision": "@reporting", "due": -5,
    }),
    ("M7", "milestone", "Evaluate the reporting pilot with reporters and functionaries", {
        "as": "evaluation", "commitment": "evaluate-on-platform-grievance-channels",
        "decision": "@reporting", "due": 100,
    }),
    ("M7", "decision", "Oppose proposals that would force proactive monitoring of content", {
        "as": "advocacy", "commitments": ["advocate-rights-respecting-laws"],
        "owner": "global-advocacy", "sensitivity": "public",
    }),
    ("M7", "milestone", "Submit comments on the proposed online-safety bill", {
        "as": "comments", "commitment": "advocate-rights-respecting-laws",
        "decision": "@advocacy", "due": -50, "sensitivity": "public",
    }),
    ("M7+5", "done", "@module", {"evidence": ["https://example.org/learning/hr-policy-module"]}),
    ("M7+8", "update", "@ml-guidance", {"status": "in-progress"}),
    ("M7+10", "done", "@comments", {
        "evidence": ["https://example.org/advocacy/online-safety-bill-comments"],
    }),
    ("M7+20", "done", "@guide", {"evidence": ["https://example.org/safety/digital-security-guide"]}),
    ("M7+22", "update", "@pilot", {
        "status": "in-progress", "due": 35,
        "reason": "The accessibility review found the report form unusable with screen readers.",
    }),
    # -- M8 --------------------------------------------------------------------------------
    ("M8", "meeting", "steering-committee", {"as": "M8", "quorum": True}),
    ("M8", "status", "@work-plan", {
        "status": "implemented", "note": "Every item of the work plan has an owner and a plan.",
    }),
    ("M8", "decision", "Defer the second impact assessment until the first is acted upon", {
        "as": "defer", "status": "proposed", "commitments": ["periodic-hria"], "owner": "legal",
        "rationale": "To be decided at the next meeting, once the findings are published.",
    }),
    ("M8", "milestone", "Travel-safety review for staff attending high-risk events", {
        "as": "travel", "commitment": "staff-physical-safety", "due": 20,
    }),
    ("M8+4", "update", "@completion", {"status": "in-progress"}),
]

# The registers: human-rights issues, impact assessments, grievances and remedies, played in
# the same year. Every text is invented and anonymised: people appear only as roles or groups,
# never by name, contact or location finer than a region (the operations refuse e-mail
# addresses and phone numbers).
#
# reported, received, started, completed, delivered_on: days from the line's own day (0, the
#          default, is that day; -7 a week before it). A grievance stage is recorded, and
#          dated, on the line's day. due and next_due are days from today, as above.
# "@name" also works for issue and grievance.
#
# operation: issue (summary) | issue-status (issue; status, note, other fields) |
# assessment (title) | assessment-status (assessment; status, other fields) |
# finding (assessment; finding, severity, milestones, commitment, due, owner) |
# grievance (channel) | stage (grievance; stage, outcome, note) | remedy (remedy_type).
REGISTERS: list[tuple[str, str, str, dict]] = [
    # -- the first quarter ------------------------------------------------------------------
    ("M1", "issue", "A national regulator blocked one language edition of the encyclopedia "
                    "after it declined to remove an article about a protest movement.", {
        "as": "blocking", "reported": -9, "category": "freedom-of-expression",
        "subcategory": "Project blocking", "rightsholder_group": "reader", "actor": "state",
        "region": "South Asia", "involvement": "linked", "impact": 3, "likelihood": 2,
        "salient": True, "board_example": True, "sensitivity": "public",
        "commitments": ["protect-vs-government-demands", "advocate-rights-respecting-laws"],
    }),
    ("M1", "issue", "A government agency asked for the IP addresses and account details of "
                    "contributors to an article about a corruption case.", {
        "as": "data-request", "reported": -12, "category": "privacy",
        "subcategory": "User-data requests", "rightsholder_group": "volunteer", "actor": "state",
        "region": "Latin America", "involvement": "linked", "impact": 3, "likelihood": 2,
        "salient": True, "board_example": True,
        "commitments": ["resist-rights-violating-data-requests"],
    }),
    ("M1+10", "issue", "Editors of articles about a gender-equality campaign were targeted by "
                       "a coordinated harassment campaign on an external social network.", {
        "as": "campaign", "reported": -3, "category": "harassment", "subcategory": "Off-wiki",
        "rightsholder_group": "volunteer", "actor": "non-state", "involvement": "linked",
        "impact": 2, "likelihood": 3, "salient": True, "board_example": True,
        "commitments": ["volunteer-harassment-free"],
    }),
    ("M1+20", "grievance", "emergency", {
        "as": "g-threats", "issue": "@campaign",
        "summary": "A contributor targeted by the off-wiki campaign asked for help after "
                   "receiving threats.",
    }),
    ("M1+21", "stage", "@g-threats", {"stage": "acknowledged"}),
    ("M1+25", "stage", "@g-threats", {"stage": "investigating"}),
    ("M2", "issue", "An organised group of accounts inserted misleading claims about an "
                    "election into several language editions.", {
        "as": "election", "reported": -6, "category": "disinformation",
        "subcategory": "Civic or conflict", "rightsholder_group": "reader",
        "actor": "non-state", "region": "Latin America", "involvement": "linked",
        "impact": 2, "likelihood": 2, "commitments": ["malign-misuse-disinformation"],
    }),
    ("M2", "issue-status", "@blocking", {"status": "assessing"}),
    ("M2", "assessment", "Enterprise-wide human rights impact assessment", {
        "as": "enterprise-hria", "subject": "enterprise", "trigger": "periodic",
        "assessor": "external", "phase": 1, "started": 0, "next_due": 700,
        "commitments": ["periodic-hria", "ongoing-hrdd"],
        "scope": "All of the Foundation's activities: the projects and their platform, "
                 "products and algorithms, grants, events, staff and contractors. Interviews "
                 "with volunteers from at least ten language communities.",
    }),
    ("M2+5", "stage", "@g-threats", {"stage": "responded"}),
    ("M2+8", "remedy", "protection", {
        "as": "r-threats", "grievance": "@g-threats", "issue": "@campaign",
        "provider": "trust-and-safety", "delivered_on": -2, "verified": True,
        "provided": "An account-security review and temporary page protection for the "
                    "affected contributors; the campaign's accounts were reported to the "
                    "external platform.",
    }),
    ("M2+9", "stage", "@g-threats", {"stage": "closed", "outcome": "upheld"}),
    ("M2+10", "grievance", "talktohumanrights", {
        "as": "g-data", "issue": "@data-request", "received": -1,
        "summary": "A volunteer asked whether their account data had been disclosed to a "
                   "government agency.",
    }),
    ("M2+13", "stage", "@g-data", {"stage": "acknowledged"}),
    ("M2+14", "issue", "A confidential report of threats against administrators of a "
                       "regional-language wiki after new legislation criminalised some "
                       "editing; the people concerned are known to Trust and Safety under "
                       "pseudonymous references only.", {
        "as": "threats", "reported": -2, "category": "safety-of-defenders",
        "subcategory": "Threats", "rightsholder_group": "human-rights-defender",
        "actor": "state", "region": "Central Asia", "involvement": "linked", "impact": 3,
        "likelihood": 3, "salient": True, "sensitivity": "restricted",
        "commitments": ["at-risk-volunteer-due-diligence", "defend-from-direct-threats"],
    }),
    ("M2+25", "issue", "Reports that a national network operator inspected traffic to the "
                       "projects prompted a check of the projects' encryption settings.", {
        "as": "inspection", "reported": -4, "category": "privacy",
        "subcategory": "Surveillance", "rightsholder_group": "reader", "actor": "state",
        "involvement": "linked", "impact": 2, "likelihood": 1,
        "commitments": ["surveillance-mitigation"],
    }),
    # -- the second quarter -----------------------------------------------------------------
    ("M3", "issue-status", "@data-request", {
        "status": "closed",
        "note": "The request was refused under the data-request procedure; no data was "
                "disclosed.",
    }),
    ("M3", "issue-status", "@campaign", {"status": "mitigating"}),
    ("M3", "issue-status", "@election", {"status": "assessing"}),
    ("M3", "issue-status", "@threats", {"status": "mitigating"}),
    ("M3", "issue-status", "@inspection", {
        "status": "dismissed",
        "note": "Traffic to the projects is encrypted; no exposure of readers was found.",
    }),
    ("M3", "stage", "@g-data", {"stage": "responded"}),
    ("M3", "assessment-status", "@enterprise-hria", {"status": "in-progress", "phase": 2}),
    ("M3", "issue", "Young contributors disclosed their age and school on user pages of a "
                    "wiki for educational content.", {
        "as": "young", "reported": -5, "category": "child-rights",
        "subcategory": "Young contributors' privacy", "rightsholder_group": "child",
        "actor": "non-state", "involvement": "contribute", "impact": 2, "likelihood": 2,
        "board_example": True, "sensitivity": "public", "commitments": ["children-rights"],
    }),
    ("M3+2", "stage", "@g-data", {"stage": "closed", "outcome": "not-upheld"}),
    ("M3+5", "issue", "A model that scores edits for vandalism review flags edits in "
                      "under-resourced languages more often than edits in major languages.", {
        "as": "model-bias", "reported": -3, "category": "technology",
        "subcategory": "Algorithm impacts", "rightsholder_group": "volunteer",
        "actor": "internal", "region": "Global", "involvement": "cause", "impact": 2,
        "likelihood": 3, "salient": True, "board_example": True,
        "commitments": ["dd-process-for-products-algorithms-grants-events", "knowledge-equity"],
    }),
    ("M3+10", "grievance", "ucoc", {
        "as": "g-admin", "received": -1,
        "summary": "A report of repeated personal attacks by an administrator of a regional "
                   "wiki against newer editors.",
    }),
    ("M3+17", "stage", "@g-admin", {"stage": "acknowledged"}),
    ("M3+25", "grievance", "ucoc", {
        "as": "g-withdrawn",
        "summary": "A complaint about the deletion of an article, withdrawn by the reporter "
                   "after the community's review.",
    }),
    ("M3+28", "stage", "@g-withdrawn", {"stage": "closed", "outcome": "withdrawn"}),
    ("M4", "issue-status", "@young", {"status": "mitigating"}),
    ("M4", "issue-status", "@blocking", {"status": "mitigating"}),
    ("M4", "stage", "@g-admin", {"stage": "investigating"}),
    ("M4", "issue", "Contract content moderators at a vendor reported long shifts reviewing "
                    "distressing content without wellbeing support.", {
        "as": "moderators", "reported": -8, "category": "labour",
        "subcategory": "Staff or contractor rights", "rightsholder_group": "contractor",
        "actor": "non-state", "involvement": "contribute", "impact": 2, "likelihood": 2,
        "commitments": ["labour-standards"],
    }),
    ("M4+7", "issue", "Articles describing methods of self-harm were edited to remove links "
                      "to support services in two language editions.", {
        "as": "self-harm", "reported": -1, "category": "harmful-content",
        "subcategory": "Dangerous or self-harm content", "rightsholder_group": "reader",
        "actor": "non-state", "involvement": "linked", "impact": 2, "likelihood": 1,
        "commitments": ["remove-demonstrably-harmful-content"],
    }),
    ("M4+10", "grievance", "internal-claim", {
        "as": "g-vendor", "issue": "@moderators", "received": -2,
        "summary": "A contractor raised concerns about working conditions at a "
                   "content-moderation vendor.",
    }),
    ("M4+12", "stage", "@g-vendor", {"stage": "acknowledged"}),
    ("M4+20", "stage", "@g-vendor", {"stage": "investigating"}),
    # -- the third quarter ------------------------------------------------------------------
    ("M5", "issue-status", "@election", {
        "status": "closed", "note": "Edits reverted and accounts blocked by the stewards.",
    }),
    ("M5", "issue-status", "@self-harm", {
        "status": "closed", "note": "Links restored and the pages protected by local "
                                    "administrators.",
    }),
    ("M5", "issue-status", "@moderators", {"status": "mitigating"}),
    ("M5", "issue-status", "@model-bias", {"status": "assessing"}),
    ("M5", "assessment-status", "@enterprise-hria", {"status": "in-progress", "phase": 3}),
    ("M5", "assessment", "Impact assessment of the mobile app's new photo-upload feature", {
        "as": "product-hria", "subject": "product", "trigger": "launch",
        "assessor": "internal", "phase": 1, "started": 0,
        "commitments": ["dd-process-for-products-algorithms-grants-events",
                        "expert-guided-product-development"],
        "scope": "The photo-upload feature of the mobile editing app, before its launch on "
                 "all wikis.",
    }),
    ("M5", "issue", "An off-wiki site published what it claimed were the real identities of "
                    "several pseudonymous administrators.", {
        "as": "doxxing", "reported": -4, "category": "privacy",
        "subcategory": "Doxxing or deanonymisation", "rightsholder_group": "volunteer",
        "actor": "non-state", "involvement": "linked", "impact": 3, "likelihood": 2,
        "salient": True, "board_example": True,
        "commitments": ["at-risk-volunteer-due-diligence", "protect-vs-nonstate-threats"],
    }),
    ("M5+3", "stage", "@g-admin", {"stage": "closed", "outcome": "partly-upheld"}),
    ("M5+6", "remedy", "restoration", {
        "as": "r-admin", "grievance": "@g-admin", "provider": "trust-and-safety",
        "verified": True,
        "provided": "The administrator's rights were removed after review by the community's "
                    "arbitration body, and the reverted edits of the newer editors restored.",
    }),
    ("M5+12", "issue", "Volunteers from several African language communities report that "
                       "grant application forms exist only in English and French.", {
        "as": "grant-forms", "reported": -10, "category": "equity",
        "subcategory": "Knowledge-equity gaps", "rightsholder_group": "volunteer",
        "actor": "internal", "region": "Sub-Saharan Africa", "involvement": "cause",
        "impact": 1, "likelihood": 3, "board_example": True, "sensitivity": "public",
        "commitments": ["knowledge-equity"],
    }),
    ("M5+15", "grievance", "trust-and-safety", {
        "as": "g-doxxing", "issue": "@doxxing",
        "summary": "Pseudonymous administrators asked for help after an off-wiki site claimed "
                   "to reveal their identities.",
    }),
    ("M5+15", "stage", "@g-doxxing", {"stage": "acknowledged"}),
    ("M5+20", "issue", "Armed conflict left contributors in the region without reliable "
                       "connectivity and exposed them to reprisals for documenting events.", {
        "as": "conflict", "reported": -2, "category": "conflict",
        "subcategory": "Crisis events", "rightsholder_group": "human-rights-defender",
        "actor": "state", "region": "Eastern Europe", "involvement": "linked", "impact": 3,
        "likelihood": 3, "salient": True, "board_example": True,
        "commitments": ["crisis-response-protocol", "support-hrds-condemn-attacks"],
    }),
    ("M5+20", "stage", "@g-doxxing", {"stage": "investigating"}),
    ("M5+25", "issue", "The new photo-upload feature kept location metadata in photos by "
                       "default, which could reveal where contributors live.", {
        "as": "metadata", "reported": -1, "category": "technology",
        "subcategory": "Feature impacts", "rightsholder_group": "volunteer",
        "actor": "internal", "involvement": "cause", "impact": 2, "likelihood": 2,
        "commitments": ["expert-guided-product-development"],
    }),
    ("M5+30", "finding", "@product-hria", {
        "finding": "Photos uploaded from the app keep their location metadata; the app must "
                   "strip it by default before upload.",
        "severity": "medium",
    }),
    ("M6", "issue-status", "@campaign", {
        "status": "closed", "note": "No further incidents reported for three months.",
    }),
    ("M6", "issue-status", "@young", {
        "status": "closed", "note": "Guidance published and the personal details hidden by "
                                    "oversighters.",
    }),
    ("M6", "issue-status", "@doxxing", {"status": "mitigating"}),
    ("M6", "issue-status", "@grant-forms", {"status": "mitigating"}),
    ("M6", "issue-status", "@conflict", {"status": "mitigating"}),
    ("M6", "stage", "@g-vendor", {"stage": "responded"}),
    ("M6", "issue", "A ministry demanded the removal of an article on a historical massacre, "
                    "threatening fines.", {
        "as": "takedown", "reported": -6, "category": "freedom-of-expression",
        "subcategory": "Content alteration or takedown demands", "rightsholder_group": "reader",
        "actor": "state", "involvement": "linked", "impact": 2, "likelihood": 2,
        "commitments": ["protect-vs-government-demands"],
    }),
    ("M6", "finding", "@enterprise-hria", {
        "finding": "Contributors in countries that restrict online expression can be traced "
                   "through their editing, and safety guidance exists in few of their "
                   "languages.",
        "severity": "high",
        "milestones": ["Account-security guidance in the 30 languages most used by at-risk "
                       "communities"],
        "commitment": "self-protection-resources", "owner": "trust-and-safety", "due": 90,
    }),
    ("M6", "finding", "@enterprise-hria", {
        "finding": "Models that rank edits for review may flag edits from under-represented "
                   "language communities more often, discouraging their contributors.",
        "severity": "high",
        "milestones": ["Bias audit of the edit-review ranking models"],
        "commitment": "dd-process-for-products-algorithms-grants-events", "due": 60,
    }),
    ("M6", "finding", "@enterprise-hria", {
        "finding": "Grievance channels are hard to find for readers and contributors who do "
                   "not read English.",
        "severity": "medium",
    }),
    ("M6+5", "remedy", "protection", {
        "as": "r-conflict", "issue": "@conflict", "provider": "trust-and-safety",
        "verified": False,
        "provided": "Connectivity stipends for affected contributors and a temporary option "
                    "to hide their public activity logs.",
    }),
    ("M6+8", "issue", "Machine-generated articles with fabricated sources were added to a "
                      "small language edition faster than its few administrators could "
                      "review them.", {
        "as": "generated", "reported": -2, "category": "disinformation",
        "subcategory": "Generative AI", "rightsholder_group": "reader",
        "actor": "non-state", "involvement": "linked", "impact": 2, "likelihood": 3,
        "board_example": True, "sensitivity": "public",
        "commitments": ["malign-misuse-disinformation"],
    }),
    ("M6+10", "stage", "@g-vendor", {"stage": "closed", "outcome": "upheld"}),
    ("M6+10", "grievance", "other", {
        "as": "g-takedown", "issue": "@takedown", "received": -3,
        "summary": "A reader complained, by letter to the legal team, that a historical "
                   "article might be removed in their country.",
    }),
    ("M6+20", "issue", "Women editors of a regional wiki reported repeated sexualised "
                       "comments on their talk pages and slow responses from local "
                       "administrators.", {
        "as": "gender", "reported": -4, "category": "harassment",
        "subcategory": "Gender-based", "rightsholder_group": "volunteer",
        "actor": "non-state", "region": "Middle East and North Africa",
        "involvement": "contribute", "impact": 2, "likelihood": 3, "salient": True,
        "board_example": True,
        "commitments": ["volunteer-harassment-free", "clear-enforceable-conduct-policies"],
    }),
    ("M6+30", "stage", "@g-takedown", {"stage": "acknowledged"}),
    # -- the fourth quarter -----------------------------------------------------------------
    ("M7", "issue-status", "@moderators", {
        "status": "closed", "note": "The vendor's contract now requires wellbeing support.",
    }),
    ("M7", "issue-status", "@model-bias", {"status": "mitigating"}),
    ("M7", "issue-status", "@takedown", {"status": "assessing"}),
    ("M7", "issue-status", "@gender", {"status": "assessing"}),
    ("M7", "issue-status", "@metadata", {
        "status": "closed", "note": "Location metadata is stripped by default since launch.",
    }),
    ("M7", "assessment-status", "@product-hria", {
        "status": "completed", "phase": 5, "completed": 0, "publication": "summary",
    }),
    ("M7", "remedy", "policy-change", {
        "as": "r-vendor", "grievance": "@g-vendor", "issue": "@moderators",
        "provider": "talent-culture", "delivered_on": -5, "verified": False,
        "provided": "The vendor's contract was amended to require wellbeing support and "
                    "limits on exposure to distressing content.",
    }),
    ("M7", "issue", "A confidential report that an adult user contacted a young contributor "
                    "off-wiki was referred to the competent authorities; the case file is "
                    "held by Trust and Safety.", {
        "as": "grooming", "reported": -3, "category": "child-rights",
        "subcategory": "Grooming", "rightsholder_group": "child", "actor": "non-state",
        "involvement": "linked", "impact": 3, "likelihood": 1, "sensitivity": "restricted",
        "commitments": ["children-rights"],
    }),
    ("M7+3", "grievance", "talktohumanrights", {
        "as": "g-gender", "issue": "@gender",
        "summary": "Women editors asked for faster responses to gender-based harassment on "
                   "their wiki.",
    }),
    ("M7+5", "stage", "@g-gender", {"stage": "acknowledged"}),
    ("M7+6", "issue", "Staff travelling to a community event in a high-risk country had no "
                      "security briefing before departure.", {
        "as": "travel-safety", "reported": -6, "category": "labour",
        "subcategory": "Workplace safety", "rightsholder_group": "staff",
        "actor": "internal", "involvement": "cause", "impact": 2, "likelihood": 2,
        "commitments": ["staff-physical-safety"],
    }),
    ("M7+12", "stage", "@g-gender", {"stage": "investigating"}),
    ("M8", "issue-status", "@travel-safety", {"status": "mitigating"}),
    ("M8", "issue-status", "@grooming", {"status": "closed"}),
    ("M8", "stage", "@g-gender", {"stage": "responded"}),
    ("M8", "issue", "A contributor who documented abuses in a conflict area reports that "
                    "relatives were questioned by police about the contributor's editing.", {
        "as": "reprisal", "reported": -2, "category": "safety-of-defenders",
        "subcategory": "Reprisal", "rightsholder_group": "human-rights-defender",
        "actor": "state", "involvement": "linked", "impact": 3, "likelihood": 2,
        "salient": True,
        "commitments": ["support-hrds-condemn-attacks", "defend-from-direct-threats"],
    }),
    ("M8+2", "grievance", "emergency", {
        "as": "g-reprisal", "issue": "@reprisal",
        "summary": "A contributor in a conflict area asked for protection after relatives "
                   "were questioned about their editing.",
    }),
    ("M8+2", "stage", "@g-reprisal", {"stage": "acknowledged"}),
    ("M8+3", "issue", "Editors of a sign-language documentation project report that their "
                      "accessibility requests are closed without review.", {
        "as": "accessibility", "reported": -1, "category": "equity",
        "subcategory": "Discrimination", "rightsholder_group": "volunteer",
        "actor": "internal", "involvement": "cause", "impact": 1, "likelihood": 2,
        "commitments": ["knowledge-equity"],
    }),
]
SCENARIO.extend(REGISTERS)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Demo:
    """What ``build_demo`` made, and a few ids worth trying with the commands."""

    ledger: Ledger
    today: date
    changes: int  # commits, the first (init) included
    slipped_milestone: str  # slipped twice, each time with a reason
    superseded_decision: str
    superseding_decision: str
    before: str  # ISO date at which superseded_decision was still adopted
    restricted_decision: str
    restricted_issue: str = ""  # an issue marked restricted (never in the audit view)
    enterprise_assessment: str = ""  # the external HRIA: three findings, two with milestones

    @property
    def root(self) -> Path:
        """The ledger's folder."""
        return self.ledger.root


def _thursday_on_or_before(day: date) -> date:
    """Committees meet on a fixed weekday: Thursday."""
    return day - timedelta(days=(day.weekday() - 3) % 7)


def meeting_days(today: date) -> dict[str, date]:
    """The day of each meeting in ``MEETINGS`` for a demo ending at ``today``."""
    return {
        label: _thursday_on_or_before(today - timedelta(days=days))
        for label, days in MEETINGS.items()
    }


def schedule(today: date) -> list[tuple[date, str, str, str, dict]]:
    """``SCENARIO`` in the order it is played for a demo ending at ``today``: each line with
    the day it happens first. Lines on the same day keep the scenario's order.

    >>> schedule(date(2026, 6, 15))[0][:3]
    (datetime.date(2025, 7, 10), 'M1', 'meeting')
    """
    meetings = meeting_days(today)

    def day(when: str) -> date:
        """``"M3"`` → the day of meeting M3; ``"M3+9"`` → nine days later."""
        label, _, plus = when.partition("+")
        return meetings[label] + timedelta(days=int(plus or 0))

    return sorted(((day(line[0]), *line) for line in SCENARIO), key=lambda line: line[0])


class _Builder:
    """Plays ``SCENARIO`` into a ledger: resolves dates and "@" references, dates the commits."""

    def __init__(self, today: date, progress: Progress | None, total: int):
        self.ledger: Ledger | None = None
        self.today = today
        self.progress = progress
        self.total = total
        self.done = 0
        self.ids: dict[str, str] = {}
        self.meetings = meeting_days(today)
        self.last_time = 0
        self.per_day: dict[date, int] = {}
        # Never date a commit in the future (unless the caller asked for a future today).
        self.ceiling = int(time.time()) if today <= date.today() else None

    def init(self, directory: Path) -> None:
        """Create the ledger from the Wikimedia pack, two weeks before the first meeting."""
        self.ledger = ledgers.init(
            Path(directory),
            policy.load("wikimedia-2021"),
            organisation=ORGANISATION,
            author=SECRETARY,
            timestamp=self.timestamp(self.meetings["M1"] - timedelta(days=14)),
        )
        self.tick()

    def day(self, offset: int) -> str:
        """An ISO date ``offset`` days from today."""
        return (self.today + timedelta(days=offset)).isoformat()

    def timestamp(self, day: date) -> int:
        """10:00 UTC on ``day``, one minute later for each further change that day."""
        n = self.per_day.get(day, 0)
        self.per_day[day] = n + 1
        moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
        stamp = int(moment.timestamp()) + 60 * n
        if self.ceiling is not None:
            stamp = min(stamp, self.ceiling)
        self.last_time = max(self.last_time, stamp)
        return self.last_time

    def ref(self, value: str) -> str:
        """``"@name"`` → the id created under that name; anything else unchanged."""
        return self.ids[value[1:]] if value.startswith("@") else value

    def tick(self) -> None:
        """Count one change made and report progress."""
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def play(self, day: date, when: str, operation: str, subject: str, details: dict) -> None:
        """Apply one line of the scenario, happening on ``day``, as one commit."""
        details = dict(details)
        name = details.pop("as", None)
        for key in TODAY_RELATIVE:
            if key in details:
                details[key] = self.day(details[key])
        for key in LINE_RELATIVE:
            if key in details:
                details[key] = (day + timedelta(days=details[key])).isoformat()
        for key in ("decision", "supersedes", "issue", "grievance"):
            if key in details:
                details[key] = self.ref(details[key])
        stamp = {
            "author": DEPUTY if operation in ("update", "done", "stage", "remedy") else SECRETARY,
            "timestamp": self.timestamp(day),
        }
        ledger, target = self.ledger, self.ref(subject)
        if operation == "meeting":
            attendees = details.pop("attendees", STEERING_COMMITTEE)
            written = operations.log_meeting(
                ledger, date=day.isoformat(), body=subject, attendees=attendees, **details, **stamp
            )
        elif operation == "decision":
            if "+" not in when:  # taken at the meeting held that day
                details.setdefault("meeting", self.ids[when])
            written = operations.log_decision(
                ledger, subject, date=day.isoformat(), **details, **stamp
            )
        elif operation == "status":
            status = details.pop("status")
            written = operations.set_decision_status(ledger, target, status, **details, **stamp)
        elif operation == "milestone":
            written = operations.add_milestone(ledger, subject, **details, **stamp)
        elif operation == "update":
            written = operations.update_milestone(ledger, target, **details, **stamp)
        elif operation == "done":
            details.setdefault("on", day.isoformat())
            written = operations.complete_milestone(ledger, target, **details, **stamp)
        elif operation == "assign":
            department = details.pop("department")
            written = operations.assign_commitment(ledger, target, department, **details, **stamp)
        elif operation == "department":
            written = operations.add_department(ledger, subject, **details, **stamp)
        elif operation in ("issue", "assessment", "grievance", "stage", "remedy", "finding",
                           "issue-status", "assessment-status"):
            written = self._register(day, operation, target, details, stamp)
        else:
            raise ValueError(f"unknown scenario operation {operation!r}")
        if name is not None:
            # The record a line creates is the last one it wrote (a superseding decision also
            # rewrites the one it replaces, first).
            self.ids[name] = written.records[-1]["id"]
        self.tick()

    def _register(self, day: date, operation: str, target: str, details: dict, stamp: dict):
        """One line of ``REGISTERS``: an issue, assessment, finding, grievance, stage or remedy."""
        ledger, today = self.ledger, day.isoformat()
        if operation == "issue":
            details.setdefault("reported", today)
            return operations.log_issue(ledger, target, **details, **stamp)
        if operation in ("issue-status", "assessment-status"):
            status = details.pop("status")
            note = details.pop("note", None)
            return operations.set_status(
                ledger, operation.removesuffix("-status"), target, status, note=note,
                changes=details, **stamp,
            )
        if operation == "assessment":
            return operations.log_assessment(ledger, target, **details, **stamp)
        if operation == "finding":
            finding = details.pop("finding")
            return operations.add_finding(ledger, target, finding, **details, **stamp)
        if operation == "grievance":
            details.setdefault("received", today)
            return operations.log_grievance(ledger, channel=target, **details, **stamp)
        if operation == "stage":
            stage = details.pop("stage")
            return operations.grievance_stage(ledger, target, stage, on=today, **details, **stamp)
        details.setdefault("delivered_on", today)
        provided = details.pop("provided")
        return operations.add_remedy(ledger, target, provided, **details, **stamp)


# Dates in details counted from today, and from the line's own day (see the scenarios).
TODAY_RELATIVE = ("due", "review_by", "on", "next_due")
LINE_RELATIVE = ("reported", "received", "started", "completed", "delivered_on")


def build_demo(
    directory: Path,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> Demo:
    """Create a demo ledger in ``directory`` (new or empty) and play a year of committee work
    ending at ``today`` (default: the current date) into it.

    ``progress(done, total)`` is called after each change (each commit). Errors about the
    folder come from ``hrgov.ledger.init``.
    """
    today = today or date.today()
    total = len(SCENARIO) + 1
    builder = _Builder(today, progress, total)
    builder.init(directory)
    for line in schedule(today):
        builder.play(*line)
    superseding = builder.meetings["M6"]
    return Demo(
        ledger=builder.ledger,
        today=today,
        changes=builder.done,
        slipped_milestone=builder.ids["hria-findings"],
        superseded_decision=builder.ids["screening"],
        superseding_decision=builder.ids["screening-2"],
        before=(superseding - timedelta(days=1)).isoformat(),
        restricted_decision=builder.ids["at-risk"],
        restricted_issue=builder.ids["threats"],
        enterprise_assessment=builder.ids["enterprise-hria"],
    )
