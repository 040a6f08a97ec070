"""Every write callback, sent arbitrary JSON in every field by accounts that
may not make the write (a city editor, a leader) and by one that may (the
admin): never a 500, never a write outside the account's scope, and no row
added when the answer is a refusal (hypothesis draws the values; the same
examples on every CI run)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from store import session_scope
from store.models import (
    AdjustmentRequest,
    AssessmentBonus,
    AssessmentResult,
    AssessmentRules,
    AuditEntry,
    DepartmentAlias,
    DepartmentMerge,
    FindingReview,
    ImportRun,
    IndicatorChange,
    IndicatorObservation,
    Milestone,
    PendingUpload,
    Plan,
    PlanChange,
    ProgressUpdate,
    Region,
    StoredFile,
    User,
    WorkItem,
)
from tests.callbacks import dependency, payload, post
from tests.test_reporting import form
from tests.test_security import login

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**400, max_value=10**400) | st.floats()
    | st.text(max_size=30) | st.sampled_from(["\ud800", "²", "1,2,3,", "9999-12-31", "0001-01-01", "已完成",
                                              " =HYPERLINK(\"http://evil.example\")", "杭州", "admin", "2020-09"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8)
ROW_KEYS = ("milestone_id", "version", "state", "completed_on", "note", "row", "indicator_id", "value",
            "observed_on")
BUTTONS = ("report-save", "report-upload-confirm", "rules-save", "bonus-add", "bonus-withdraw", "publish",
           "create-account", "reset-password", "change-role", "deactivate", "activate", "plan-confirm", "plan-cancel",
           "edit-save", "findings-confirm", "request-submit", "request-approve", "request-reject", "merge-submit",
           "rename-submit", "unmerge-submit", "indicator-save", "plan-save", "plan-archive", "change-contacts", "notifications-read")
TABLES = (ProgressUpdate, IndicatorObservation, AssessmentRules, AssessmentBonus, AssessmentResult, User, AuditEntry,
          Plan, ImportRun, PendingUpload, PlanChange, FindingReview, AdjustmentRequest, DepartmentMerge, DepartmentAlias,
          Milestone, IndicatorChange, StoredFile)
SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def rows(real: list[dict]):
    """Real form rows with any of their fields replaced by anything."""
    return st.lists(st.builds(lambda base, changes: {**base, **changes}, st.sampled_from(real),
                              st.dictionaries(st.sampled_from(ROW_KEYS), JSON, max_size=4)), max_size=4)


def counts(app) -> dict:
    with app.app_context(), session_scope() as s:
        return {t.__name__: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


def written_outside(app, username: str, since: int) -> list[str]:
    """Cities of the milestones reported on by ``username``'s updates after id ``since`` that are not its own."""
    with app.app_context(), session_scope() as s:
        mine = s.scalar(select(Region.name).join(User, User.city_id == Region.id).where(User.username == username))
        cities = s.scalars(select(Region.name).join(WorkItem, WorkItem.city_id == Region.id)
                           .join(Milestone, Milestone.work_item_id == WorkItem.id)
                           .join(ProgressUpdate, ProgressUpdate.milestone_id == Milestone.id)
                           .where(ProgressUpdate.id > since)).all()
    return [c for c in cities if c != mine]


def last_update(app) -> int:
    with app.app_context(), session_scope() as s:
        return s.scalar(select(func.max(ProgressUpdate.id))) or 0


@pytest.mark.parametrize("button", BUTTONS)
@pytest.mark.parametrize("username", ["hz", "leader", "admin"])
def test_any_json_in_any_write_callback_is_answered_and_kept_in_scope(reporting_app, username, button):
    client = reporting_app.test_client()
    login(client, username)
    real = form(reporting_app, "hz")[0][:5] + form(reporting_app, "nb")[0][:5]
    dep = dependency(client, button)

    @SETTINGS
    @given(data=st.data())
    def attempt(data):
        values = {spec["id"]: data.draw(rows(real) if spec["property"] == "rowData" else JSON)
                  for spec in dep["state"]}
        clicks = data.draw(st.one_of(st.just(1), JSON))
        before, since = counts(reporting_app), last_update(reporting_app)
        status, body = post(client, payload(dep, values, clicked=button, clicks=clicks))
        assert status in (200, 204), (status, body[:500])
        after = counts(reporting_app)
        if username != "admin":
            assert written_outside(reporting_app, username, since) == []
            if button not in ("report-save", "report-upload-confirm", "request-submit"):  # (editors' own writes)
                assert after == before, (button, body[:300])  # the admin's writes: refused
        if any(word in body for word in ("未写入任何数据", "report-problems", "report-refused", "edit-refused",
                                              "findings-refused", "request-refused", "decision-refused",
                                              "merge-refused", "rename-refused", "unmerge-refused",
                                              "indicator-refused", "plan-save-refused", "plan-archive-refused")) \
                or status == 204:
            assert after == before, body[:500]

    attempt()
