"""The role × URL matrix, generated from the URL resolver.

Every URL the service serves must declare an access rule; each role must get exactly the status
that rule allows (the page itself for allowed roles, 403 for the others), and a visitor who is not
signed in must be sent to sign in (or, for public pages, get the page)."""

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sfo.access import CASE_READERS, rule_of, visible_cases
from sfo.clocks.models import ExtraNonWorkingDay
from sfo.people.models import Organisation, User
from sfo.people.roles import Role
from tests.factories import TeamFactory

# Pages reached by POST only: the matrix posts to them (without a body).
POST_ONLY = {
    "logout",
    "discard_held_submission",
    "admin:logout",
    "documents:request_case_summary",
    "documents:retry",
    "alerts:mark_read",
    "alerts:mark_all_read",
    "admin:alerts_sweeprun_run",
    "documents:request_review_pdf",
    "reviews:section_status",
    "reviews:chronology_status",
    "qa:take",
    "qa:allocate",
    "qa:accept_feedback",
    "qa:choose_to_amend",
    "qa:feedback_letter",
    "qa:concordance_pdf",
    "victims:make_pack",
    "reviews:redaction_remove",
    "reviews:redacted_copy_pdf",
    "agencies:make_extract",
}

# What the administrators may not do in the admin, although they may use it: the access log is
# append-only, lockout records are written only by sign-in, and people and organisations are
# deactivated, never deleted, because the history of cases refers to them.
ADMIN_REFUSED = {
    "admin:audit_accessrecord_add",
    "admin:audit_accessrecord_delete",
    "admin:axes_accessattempt_add",
    "admin:axes_accesslog_add",
    "admin:axes_accesslog_delete",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accessfailurelog_delete",
    "admin:people_organisation_delete",
    "admin:people_team_delete",
    "admin:people_user_delete",
    # Offences are retired by unticking "active", never deleted: charges refer to them.
    "admin:offences_offence_delete",
    # Clock policies and one-off holidays are superseded or corrected, never deleted.
    "admin:clocks_clockpolicy_delete",
    "admin:clocks_thresholdpolicy_delete",
    "admin:clocks_extranonworkingday_delete",
    # The alert policy is superseded, never deleted; the sweep log is written by sweeps alone.
    "admin:alerts_alertpolicy_delete",
    "admin:alerts_sweeprun_add",
    "admin:alerts_sweeprun_delete",
    # Coach policies and QA standards are superseded by a later version, never deleted.
    "admin:reviews_coachpolicy_delete",
    "admin:reviews_standardset_delete",
    # Rating scales are superseded by a newer scale, never deleted: ratings refer to them.
    "admin:qa_ratingscale_delete",
    # Agencies of the register and themes of the taxonomy are retired, never deleted: the cases'
    # involvements and the findings' and actions' tags refer to them.
    "admin:agencies_agency_delete",
    "admin:reviews_theme_delete",
}

# Where an allowed role legitimately gets something other than 200, and why.
ALLOWED_STATUS = {
    **dict.fromkeys(ADMIN_REFUSED, 403),
    "login": 302,  # a signed-in person is sent on to their home page
    "logout": 302,  # signs out, then goes to the sign-in page
    "admin:logout": 302,
    "admin:login": 302,  # an administrator is sent on to the admin index
    "admin:view_on_site": 404,  # no model of ours has a public page
    "admin:autocomplete": 403,  # refused without the field it completes: Django's own check
    "admin:catch_all": 404,
    "held_submission": 404,  # the example kept form belongs to someone else
    "discard_held_submission": 404,
    "documents:request_case_summary": 302,  # a new job, then its page
    "documents:retry": 302,  # the example job is done: nothing to retry, back to its page
    "alerts:mark_all_read": 302,  # back to the inbox
    "admin:alerts_sweeprun_run": 302,  # runs the sweep, then back to the sweep log
    "documents:request_review_pdf": 302,  # a new job, then its page
    "reviews:section_status": 302,  # an empty post is refused with a message, back to the page
    "reviews:chronology_status": 200,  # an empty post shows the editor with the error
    "qa:concordance_pdf": 302,  # a new job, then its page
    "reviews:redaction_remove": 302,  # the mark is removed, back to the marking page
    "reviews:redacted_copy_pdf": 302,  # a new job, then its page
    "agencies:make_extract": 302,  # a new job, then its page
}

# The review's pages: read by those who may read the review, changed by its writer alone.
REVIEW_READ_PAGES = {
    "reviews:review",
    "reviews:review_section",
    "reviews:findings",
    "reviews:action_plan",
    "reviews:coach",
    "reviews:chronology",
    "reviews:chronology_import_report",
    "reviews:chronology_import_rejected",
    "reviews:versions",
    "reviews:version",
    "reviews:version_compare",
    "documents:request_review_pdf",
}
REVIEW_WRITE_PAGES = {
    "reviews:finding_add",
    "reviews:finding_edit",
    "reviews:finding_delete",
    "reviews:action_add",
    "reviews:action_edit",
    "reviews:action_delete",
    "reviews:chronology_add",
    "reviews:chronology_edit",
    "reviews:chronology_delete",
    "reviews:chronology_import",
    "reviews:chronology_status",
    "reviews:review_period",
    "reviews:section_status",
    "reviews:send_for_local_qa",
}


def iter_urls(patterns=None, namespace=None, prefix=""):
    """(name, pattern) for every URL the resolver knows. An unnamed pattern is named after its
    callback; the admin's unnamed object redirects are named after their model."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if namespace and entry.namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from iter_urls(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or entry.callback.__name__
            if name in {"final_catch_all_view", "catch_all_view"}:
                name = "catch_all"
            elif entry.name is None and str(entry.pattern) == "<path:object_id>/":
                app_label, model_name = prefix.strip("/").split("/")[-2:]
                name = f"{app_label}_{model_name}_object"
                OBJECT_REDIRECT_PREFIX[f"{namespace}:{name}"] = "/" + prefix
            yield (f"{namespace}:{name}" if namespace else name), entry


OBJECT_REDIRECT_PREFIX: dict[str, str] = {}


ALL_URLS = sorted(iter_urls(), key=lambda item: item[0])


def test_every_url_declares_an_access_rule():
    missing = [name for name, pattern in ALL_URLS if rule_of(pattern.callback) is None]
    assert missing == [], f"URLs with no declared access rule: {missing}"


def example_kwargs(name: str, pattern: URLPattern, case) -> dict:
    """Arguments that make a URL resolve to a real object the matrix's people may see."""
    params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    if not params:
        return {}
    if name.startswith("admin:") and "object_id" in params and name != "admin:view_on_site":
        app_model = name.split(":", 1)[1].rsplit("_", 1)[0]  # admin:people_user_change
        model = next(
            m
            for m in admin.site._registry
            if f"{m._meta.app_label}_{m._meta.model_name}" == app_model  # noqa: E501
        )
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"The matrix needs a {model.__name__} to open {name}"
        return {"object_id": str(obj.pk)}
    if name == "admin:app_list":
        return {"app_label": "people"}
    if name == "admin:view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(Organisation).pk,
            "object_id": str(case.managing_provider_id),
        }
    if "id" in params:
        return {"id": str(User.objects.order_by("pk").first().pk)}
    if name == "admin:catch_all":
        return {"url": "no-such-page/"}
    if "job_pk" in params:
        return {"job_pk": matrix_document(case).pk}
    if "clock_pk" in params:
        return {"pk": case.pk, "clock_pk": case.clocks.order_by("pk").first().pk}
    if name == "reviews:decide_extension":
        return {"pk": case.pk, "extension_pk": matrix_extension(case).pk}
    if name == "reviews:case_action":
        return {"pk": case.pk, "name": "take_for_qa"}
    if name == "alerts:mark_read":
        return {"pk": matrix_alert(case).pk}
    review_objects = {
        "entry_pk": lambda: case.review.chronology.order_by("pk").first().pk,
        "import_pk": lambda: case.review.chronology_imports.order_by("pk").first().pk,
        "finding_pk": lambda: case.review.findings.order_by("pk").first().pk,
        "action_pk": lambda: case.review.actions.order_by("pk").first().pk,
    }
    for param, pk_of in review_objects.items():
        if param in params:
            return {"pk": case.pk, param: pk_of()}
    if name == "reviews:review_section":
        return {"pk": case.pk, "key": "methodology"}
    if name == "reviews:section_status":
        return {"pk": case.pk, "key": "key_findings"}
    if name == "reviews:version":
        return {"pk": case.pk, "number": 1}
    if "mark_pk" in params:
        return {"pk": case.pk, "mark_pk": case.review.redactions.order_by("pk").first().pk}
    if "copy_pk" in params:
        copy = case.review.redacted_copies.get()
        if "finding_id" in params:
            return {
                "pk": case.pk,
                "copy_pk": copy.pk,
                "finding_id": copy.snapshot["findings"][0]["id"],
            }
        return {"pk": case.pk, "copy_pk": copy.pk}
    if name.startswith("agencies:") and "involvement_pk" in params:
        involvement = matrix_involvement(case)
        kwargs = {"pk": case.pk, "involvement_pk": involvement.pk}
        if "request_pk" in params:
            kwargs["request_pk"] = involvement.requests.get().pk
        return kwargs
    if name == "agencies:edit_parallel_review":
        return {"pk": case.pk, "review_pk": matrix_parallel_review(case).pk}
    if name == "insights:table_csv":
        return {"table": "themes"}
    if "victim_pk" in params:
        return {"victim_pk": case.victims.get().pk}
    if "request_pk" in params:
        return {"request_pk": matrix_request(case).pk}
    if "sample_pk" in params:
        return {"sample_pk": matrix_sample(case).pk}
    if "assignment_pk" in params:
        return {"assignment_pk": case.sample_assignments.get().pk}
    if "round" in params:
        return {"pk": case.pk, "round": 1}
    if "pk" in params:
        if name in {"held_submission", "discard_held_submission"}:
            return {"pk": 999999}
        return {"pk": case.pk}
    raise AssertionError(f"The matrix has no example arguments for {name} ({params})")


def matrix_document(case):
    from sfo.documents.models import DocumentJob

    return DocumentJob.objects.get(case=case, status="done")


def matrix_sample(case):
    from qa.models import IndependentSample

    return IndependentSample.objects.get()


def matrix_extension(case):
    from sfo.clocks.models import ExtensionRequest

    return ExtensionRequest.objects.get(clock__case=case)


def matrix_involvement(case):
    from agencies.models import AgencyInvolvement

    return AgencyInvolvement.objects.get(case=case)


def matrix_parallel_review(case):
    from agencies.models import ParallelReview

    return ParallelReview.objects.get(case=case)


def matrix_request(case):
    from victims.models import DisclosureRequest

    return DisclosureRequest.objects.get(victim__case=case)


# The victims' pages beyond their rule (VLOs, senior managers and the central team): who of those
# may use each on the matrix's case, whose victim has asked for disclosure (the request is new),
# and the status they get. "read": everyone the rule allows; "record": the provider's VLOs and
# senior managers; "sign": its senior managers. A step the request's state does not allow yet
# sends them back to the request (302); making a pack before QA is complete shows why not (200).
VICTIM_PAGES = {
    "victims:case_victims": ("read", 200),
    "victims:victim": ("read", 200),
    "victims:request": ("read", 200),
    "victims:summary": ("read", 200),
    "victims:packs": ("read", 200),
    "victims:add_victim": ("record", 200),
    "victims:edit_victim": ("record", 200),
    "victims:record_contact": ("record", 200),
    "victims:vcs_choice": ("record", 200),
    "victims:record_request": ("record", 200),
    "victims:assessment": ("record", 200),
    "victims:decline": ("record", 200),
    "victims:meeting": ("record", 200),
    "victims:feedback": ("record", 302),
    "victims:release": ("record", 302),
    "victims:sign_off": ("sign", 302),
    "victims:make_pack": ("sign", 200),
}


def victim_page_status(name, user, case):
    from victims import services

    who, status = VICTIM_PAGES[name]
    if who == "record":
        return status if services.may_record(user, case) else 403
    if who == "sign":
        return status if services.may_sign_off(user, case) else 403
    return status


# The pages of redaction and of the redacted copy beyond their rules, and the status each gives
# those the case's own answers allow. "mark": the allocated reviewer and the providers' review
# managers and senior managers (`redaction.refusal_to_mark`), among the review's readers;
# "copy": the copy's readers (`redaction.may_read_copy`, others are told it does not exist);
# "respond": among those, the staff involved (`redaction.is_involved`); "responses": the
# review's readers (`authoring.may_read_review`).
REDACTION_PAGES = {
    "reviews:redactions": ("mark", 200),
    "reviews:redaction_add": ("mark", 200),
    "reviews:redaction_remove": ("mark", 302),
    "reviews:share_redacted_copy": ("mark", 200),
    "reviews:redacted_copies": ("copy", 200),
    "reviews:redacted_copy": ("copy", 200),
    "reviews:redacted_copy_pdf": ("copy", 302),
    "reviews:finding_response": ("respond", 200),
    "reviews:staff_responses": ("responses", 200),
}


def redaction_page_status(name, user, case):
    from reviews import authoring, redaction

    who, status = REDACTION_PAGES[name]
    if who == "mark":
        readable = authoring.may_read_review(user, case)
        return status if readable and redaction.refusal_to_mark(user, case) is None else 403
    if who == "responses":
        return status if authoring.may_read_review(user, case) else 403
    if not redaction.may_read_copy(user, case):
        return 404
    if who == "respond":
        return status if redaction.is_involved(user, case) else 403
    return status


# The other agencies' pages beyond their rule: "read" for those who may read the case's agencies
# (`agencies.services.may_read`), "write" for those who may change them (`may_edit`); a case
# the person may not see is a 404, one they see but whose agencies they may not read a 403.
AGENCY_PAGES = {
    "agencies:case_agencies": ("read", 200),
    "agencies:involvement": ("read", 200),
    "agencies:extract": ("read", 200),
    "agencies:add_involvement": ("write", 200),
    "agencies:edit_involvement": ("write", 200),
    "agencies:add_request": ("write", 200),
    "agencies:reply": ("write", 200),
    "agencies:concerns": ("write", 200),
    "agencies:record_share": ("write", 200),
    "agencies:add_parallel_review": ("write", 200),
    "agencies:edit_parallel_review": ("write", 200),
    "agencies:make_extract": ("write", 302),
}


def agency_page_status(name, user, case):
    from agencies import services

    who, status = AGENCY_PAGES[name]
    if not visible_cases(user).filter(pk=case.pk).exists():
        return 404
    allowed = services.may_edit if who == "write" else services.may_read
    return status if allowed(user, case) else 403


def matrix_alert(case):
    from sfo.alerts.models import Alert

    return Alert.objects.get(case=case)


def object_level_status(name, user, case):
    """Pages that refuse, beyond their rule, what this person may not do to this case in its
    present state: the expected status follows the workflow's own answer, whose refusals the
    workflow tests check one by one. None for pages with no such check."""
    from reviews import services

    if name in VICTIM_PAGES:
        return victim_page_status(name, user, case)
    if name in REDACTION_PAGES:
        return redaction_page_status(name, user, case)
    if name in AGENCY_PAGES:
        return agency_page_status(name, user, case)
    transition = {
        "reviews:registration": "register",
        "reviews:allocation": "allocate",
        "reviews:case_action": "take_for_qa",
    }.get(name)
    if transition:
        return 200 if services.may_make(user, case, transition) else 403
    if name == "alerts:mark_read":
        # An alert is its recipient's alone: anyone else is told it does not exist.
        return 302 if matrix_alert(case).recipient_id == user.pk else 404
    if name == "reviews:court_outcome":
        return 200 if services.may_record_court_outcome(user, case) else 403
    if name == "reviews:early_look":
        from reviews import early_look

        return 200 if early_look.may_read(user, case) else 403
    if (
        name in {"reviews:notification", "reviews:notification_check"}
        and case.state != "identified"
    ):
        return 302  # a notification already sent: back to the case, whoever asks
    if name in REVIEW_READ_PAGES or name in REVIEW_WRITE_PAGES:
        from reviews import authoring

        ok = ALLOWED_STATUS.get(name, 200)
        if name in REVIEW_WRITE_PAGES:
            return ok if authoring.refusal_to_write(user, case) is None else 403
        return ok if authoring.may_read_review(user, case) else 403
    if name == "reviews:action_progress":
        from reviews import authoring

        action = case.review.actions.order_by("pk").first()
        readable = authoring.may_read_review(user, case)
        return (
            200 if readable and authoring.refusal_to_progress(user, case, action) is None else 403
        )
    if name == "reviews:local_qa":
        return 200 if services.may_make(user, case, "pass_local_qa") else 403
    if name == "reviews:countersign":
        from reviews.local_qa import submission_for

        return 200 if services.may_make(user, case, submission_for(case)) else 403
    if name in QA_CASE_PAGES:
        # The shared case's review is being written: it has no central QA yet, so those who may
        # use the page are told there is none; the feedback's readers must also read the review.
        from reviews import authoring

        if name in QA_FEEDBACK_PAGES and not authoring.may_read_review(user, case):
            return 403
        return 404
    if name in {"documents:job", "documents:retry", "documents:download"}:
        # Any signed-in person may open a document they may see; a case summary is seen through
        # its case, which an administrator does not see.
        return 404 if not CASE_READERS.allows(user) else None
    if name == "reviews:request_extension":
        from reviews.services import may_request_extension

        clock = case.clocks.order_by("pk").first()
        return 200 if may_request_extension(user, case, clock) else 403
    return None


QA_FEEDBACK_PAGES = {
    "qa:feedback",
    "qa:accept_feedback",
    "qa:choose_to_amend",
    "qa:feedback_letter",
}
QA_CASE_PAGES = {"qa:assessment", "qa:take", "qa:allocate", *QA_FEEDBACK_PAGES}


def build_url(name, pattern, case):
    kwargs = example_kwargs(name, pattern, case)
    if name in OBJECT_REDIRECT_PREFIX:
        return f"{OBJECT_REDIRECT_PREFIX[name]}{kwargs['object_id']}/"
    if name == "admin:catch_all":
        return "/admin/no-such-page/"
    return reverse(name, kwargs=kwargs)


def request(client, name, url):
    return client.post(url) if name in POST_ONLY else client.get(url)


@pytest.fixture
def matrix_world(staff, shared_case, settings, tmp_path):
    from sfo.audit.services import record_access
    from sfo.documents import services as documents

    settings.MEDIA_ROOT = tmp_path / "media"
    # A finished case summary, so that its page and its download have something to show.
    job = documents.request_document(
        kind="case_summary", case=shared_case, by=staff[Role.SFO_REVIEWER]
    )
    documents.finish(documents.claim(job.pk), "case-summary.pdf", b"%PDF-1.4 matrix")

    record_access(staff[Role.ADMINISTRATOR], shared_case, action="view")
    # Two clocks on the case: one running with an extension asked for, one to restart.
    from sfo.clocks import services as clocks

    notification = clocks.start_clock(shared_case, "notification", on=timezone.localdate())
    clocks.request_extension(
        notification, 2, "Awaiting police records", by=staff[Role.SFO_REVIEWER]
    )
    TeamFactory(organisation=shared_case.managing_provider)
    # One of each lockout record, so that their admin pages have something to open.
    seen = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "test"}
    AccessAttempt.objects.create(**seen, failures_since_start=1, attempt_time=timezone.now())
    AccessLog.objects.create(**seen, attempt_time=timezone.now())
    AccessFailureLog.objects.create(**seen, attempt_time=timezone.now())
    ExtraNonWorkingDay.objects.create(date=date(2031, 6, 4), reason="A one-off holiday")
    # One alert, the SFO reviewer's: only they may mark it read. One sweep in the log.
    from sfo.alerts import defaults as alert_defaults
    from sfo.alerts.models import Alert, SweepRun

    alert_defaults.seed()
    Alert.objects.create(
        recipient=staff[Role.SFO_REVIEWER],
        case=shared_case,
        clock=notification,
        kind="reminder",
        day=timezone.localdate(),
        message="A reminder",
    )
    SweepRun.objects.create(day=timezone.localdate())
    review_in_progress(shared_case, staff[Role.SFO_REVIEWER])
    shared_case.refresh_from_db()
    independent_sample(shared_case, staff[Role.ADMINISTRATOR])
    # The case's victim has asked for disclosure: the request's pages have something to open.
    from victims.models import DisclosureRequest

    DisclosureRequest.objects.create(
        victim=shared_case.victims.get(),
        requested_on=timezone.localdate(),
        how_made="phone",
        recorded_by=staff[Role.VICTIM_LIAISON_OFFICER],
    )
    learning_shared(shared_case, staff)
    return staff, shared_case


def learning_shared(case, staff):
    """What issue 8's pages open on the shared case, made through their services: a mark of what
    is withheld, a version submitted to the central team shared as a redacted copy with the staff
    involved (the case's responsible officer, who managed it), and an agency involved with a
    request for its contribution, the finding and action that concern it, and a parallel
    review."""
    from datetime import timedelta

    from agencies import services as agencies
    from agencies.models import Agency, ParallelReviewKind
    from reviews import authoring, redaction
    from reviews.models import RedactionCategory, VersionPurpose

    reviewer = staff[Role.SFO_REVIEWER]
    officer = staff[Role.RESPONSIBLE_OFFICER]
    assert case.officer_periods.filter(officer=officer).exists()
    finding = case.review.findings.order_by("pk").first()
    redaction.mark_redaction(
        case,
        by=reviewer,
        place=f"finding:{finding.pk}:analysis",
        quote="Why",
        category=RedactionCategory.THIRD_PARTY,
        reason="A neighbour's account",
    )
    # The shared case's review is still being written, so no version has reached the central
    # team by the workflow: one is frozen as if submitted, and shared through the service.
    authoring.store_version(case, by=reviewer, purpose=VersionPurpose.CENTRAL)
    redaction.share_copy(case, by=reviewer)
    today = timezone.localdate()
    involvement = agencies.add_involvement(
        case,
        by=reviewer,
        role="Held the address history",
        agency=Agency.objects.filter(active=True).order_by("pk").first(),
    )
    agencies.record_request(
        involvement,
        by=reviewer,
        asked="Its records of contact",
        requested_on=today - timedelta(days=7),
        due_on=today + timedelta(days=14),
    )
    agencies.link_concerns(
        involvement,
        by=reviewer,
        finding_ids=[finding.pk],
        action_ids=[case.review.actions.order_by("pk").first().pk],
    )
    agencies.add_parallel_review(
        case,
        by=reviewer,
        facts=agencies.ParallelFacts(kind=ParallelReviewKind.DHR, lead_body="Community Safety"),
    )


def independent_sample(case, administrator):
    """A sample of independent QA holding the case sampled for the staff's assessor."""
    from qa.models import IndependentSample
    from qa.services import independent_scale
    from reviews.standards import current_standards

    sample = IndependentSample.objects.create(
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        seed=46,
        scale=independent_scale(),
        standards=current_standards(),
        drawn_by=administrator,
    )
    case.sample_assignments.update(sample=sample, version=case.review.versions.first())


def review_in_progress(case, reviewer):
    """The shared case with its review being written: one chronology entry, finding and action,
    a CSV import, and a first frozen version, so that every review page has something to open."""
    from datetime import timedelta

    from reviews import authoring
    from reviews.models import Case, ChronologyImport

    Case.objects.filter(pk=case.pk).update(state="review_in_progress", reviewer=reviewer)
    case.refresh_from_db()
    today = timezone.localdate()
    authoring.add_entries(
        case,
        by=reviewer,
        entries=[authoring.EntryFacts(today - timedelta(days=90), "police", "Arrest")],
    )
    authoring.add_finding(
        case, by=reviewer, facts=authoring.FindingFacts("A finding", "Why", "practice_failing")
    )
    authoring.add_action(
        case,
        by=reviewer,
        facts=authoring.ActionFacts("Brief the team", "team", "SPO", today + timedelta(days=30)),
    )
    ChronologyImport.objects.create(
        review=case.review,
        by=reviewer,
        filename="chronology.csv",
        columns=["date"],
        rejected_rows=[],
    )
    authoring.store_version(case, by=reviewer, purpose="local_qa")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_gets_exactly_what_its_rules_allow(client, matrix_world, role):
    staff, case = matrix_world
    user = staff[role]
    wrong = []
    for name, pattern in ALL_URLS:
        url = build_url(name, pattern, case)
        rule = rule_of(pattern.callback)
        client.force_login(user)
        response = request(client, name, url)
        allowed_status = 302 if name in OBJECT_REDIRECT_PREFIX else ALLOWED_STATUS.get(name, 200)
        expected = allowed_status if rule.allows(user) else 403
        if expected != 403:
            expected = object_level_status(name, user, case) or expected
        if response.status_code != expected:
            wrong.append(f"{name} {url}: expected {expected}, got {response.status_code}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, matrix_world):
    _, case = matrix_world
    wrong = []
    for name, pattern in ALL_URLS:
        url = build_url(name, pattern, case)
        rule = rule_of(pattern.callback)
        response = request(client, name, url)
        if rule.public:
            ok = response.status_code == 200
        else:
            # The admin sends visitors to its own sign-in page, which sends them to the service's;
            # signing out of the admin when not signed in goes back to its index.
            targets = {reverse("login")}
            if name.startswith("admin:"):
                targets |= {reverse("admin:login"), reverse("admin:index")}
            location = response.get("Location", "")
            ok = response.status_code == 302 and any(
                location == t or location.startswith(t + "?") for t in targets
            )
        if not ok:
            wrong.append(f"{name} {url}: got {response.status_code} {response.get('Location', '')}")
    assert wrong == [], "\n".join(wrong)
