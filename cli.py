"""Admin commands: `flask --app app <command>` (see README)."""
from __future__ import annotations

import getpass
import secrets
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from accounts import account_of
from accounts.users import AccountError, create_user, find_user, set_password, update_user, user_rows
from components.export import INDICATOR_HEADERS, STATUS_HEADERS, export_title, to_csv, to_json, to_xlsx
from components.filters import read_view
from components.grid import export_filename
from components.ledger import ledger_stem, ledger_title
from components.official import status_csv, status_xlsx
from components.scorecard import scorecard_workbook, workbook_name
from outputs.bulletin import bulletin_docx, figures, file_name
from outputs.deck import deck_pptx
from outputs.deck import file_name as deck_file_name
from outputs.pdf import PdfError, to_pdf
from outputs.urge_letter import NothingToChase, letter_for_view
from importers import KINDS, SOURCES_DIR
from importers.front import Given
from importers.loader import ImportResult, import_file
from importers.parsed import DocumentError
from notices.mail import configured, send_pending
from notices.reminders import remind
from importers.units import canonical
from queries import api, assessment, scope
from queries.review import asked
from queries.cache import invalidate
from queries.findings import finding_rows
from queries.indicators import indicator_rows
from queries.status import STATUSES, Filters
from queries.status_table import status_rows
from reporting.submit import Result, submit
from reporting.template import read_template
from store import backup as backups
from store import clock, current_store, session_scope
from store.audit import record
from store.demo import clear_demo, load_demo
from store.models import NOTICE_KINDS, ROLES, Department, Milestone, Plan, Region, User, WorkItem
from store.periods import period_label
from store.regions import CITIES
from store.synthetic import TIERS, GeneratorError, generate

BUNDLED = ("000_d6ec9d57f268dd20.txt", "001_5f5cd5b07740290f.txt", "004_e7034d2a5e6c7c44.txt",
           "003_04ce1ff8b1db6b75.txt")


def _echo_result(result: ImportResult) -> None:
    click.echo(f"{result.plan}: {result.outcome} — {result.summary()}")
    for f in result.findings:
        click.echo(f"  [{f.kind}] {f.message} ({f.source.file}:{f.source.line})")


class _DryRun(Exception):
    """Ends a dry run's transaction: everything it wrote is rolled back."""


def _import(path: Path, given: Given = Given(), kind: str | None = None, dry_run: bool = False) -> None:
    try:
        with session_scope() as session:
            result = import_file(session, path, given, kind, cli_actor())
            _echo_result(result)
            if dry_run:
                raise _DryRun
            if result.outcome != "unchanged":
                record(session, cli_actor(), "plan.import", result.plan, "plan", None,
                       after={"文件": path.name, **result.audit_record()})
        invalidate()
    except _DryRun:
        click.echo("dry run: nothing written")
    except (DocumentError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create/upgrade the schema and import the bundled documents (idempotent)."""
    current_store().upgrade()
    click.echo(f"schema up to date: {current_store().engine.url.render_as_string(hide_password=True)}")
    for name in BUNDLED:
        _import(SOURCES_DIR / name)


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Upgrade the schema to the latest migration (nothing imported): for deployments."""
    current_store().upgrade()
    click.echo(f"schema up to date: {current_store().engine.url.render_as_string(hide_password=True)}")


@click.command("generate")
@click.option("--tier", type=click.Choice(sorted(TIERS)), required=True, help="scale tier (DESIGN §10)")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--fraction", type=float, default=1.0, show_default=True, help="a slice of the tier, e.g. 0.1")
@with_appcontext
def generate_cmd(tier: str, seed: int, fraction: float) -> None:
    """Fill an empty store with synthetic plans at a scale tier (for benchmarks)."""
    try:
        counts = generate(current_store(), tier, seed, fraction, progress=click.echo)
    except GeneratorError as exc:
        raise click.ClickException(str(exc)) from None
    invalidate()
    click.echo(", ".join(f"{table} {n:,}" for table, n in counts.items()))


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="read and check it, print what would change, write nothing")
@click.option("--city", type=click.Choice(CITIES), help="the city the plan belongs to, where it does not say")
@click.option("--year", type=click.IntRange(2000, 2100), help="the plan year, where it does not say")
@click.option("--kind", type=click.Choice(list(KINDS)), help="the kind of plan, where it is not recognised")
@with_appcontext
def import_cmd(path: Path, dry_run: bool, city: str | None, year: int | None, kind: str | None) -> None:
    """Import one document (.docx, .xlsx, .pdf with text, or text); prints what
    was added and the findings."""
    _import(path, Given(city, year), kind, dry_run)


DEMO_ACCOUNTS = (  # username, role, city, department, name: one account of each kind, to see each view
    ("demo-admin", "admin", None, None, "演示·省信用办管理员"),
    ("demo-leader", "leader", None, None, "演示·省领导"),
    ("demo-hz", "city", "杭州", None, "演示·杭州市信用办"),
    ("demo-wzfg", "department", "温州", "市发展改革委", "演示·温州市发展改革委"),
)


@click.command("load-demo")
@click.option("--accounts", is_flag=True, help="also one account of each role, passwords printed (not in production)")
@with_appcontext
def load_demo_cmd(accounts: bool) -> None:
    """Write the deterministic demo progress history (replacing earlier demo rows)."""
    if accounts and current_app.config.get("APP_ENV") == "production":
        raise click.ClickException("--accounts: demo accounts are never made in production (APP_ENV=production)")
    with session_scope() as session:
        if not session.scalar(select(func.count()).select_from(Milestone)):
            raise click.ClickException("no plans imported yet: run `flask --app app init-db` first")
        updates, obs = load_demo(session, current_app.config["REPORT_DUE_DAY"])
        record(session, cli_actor(), "demo.load", "演示进度数据", after={"进度": updates, "指标": obs})
    invalidate()
    click.echo(f"demo progress loaded: {updates} progress updates, {obs} indicator observations")
    if accounts:
        demo_accounts()


def demo_accounts() -> None:
    """One account of each role with a new random password each (printed); existing ones are left."""
    with session_scope() as session:
        for username, role, city, department, name in DEMO_ACCOUNTS:
            if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
                click.echo(f"  {username}: exists (unchanged)")
                continue
            password = "Demo-" + secrets.token_urlsafe(9)
            create_user(session, cli_actor(), username, password, role, display_name=name, city=city,
                        department=department)
            click.echo(f"  {username}  {password}  ({name})")


@click.command("clear-demo")
@with_appcontext
def clear_demo_cmd() -> None:
    """Remove the demo progress history (real reports stay)."""
    with session_scope() as session:
        updates, obs = clear_demo(session)
        record(session, cli_actor(), "demo.clear", "演示进度数据", before={"进度": updates, "指标": obs})
    invalidate()
    click.echo(f"demo progress removed: {updates} progress updates, {obs} indicator observations")


@click.command("plans")
@with_appcontext
def plans_cmd() -> None:
    """List the imported plans."""
    with session_scope() as session:
        items = (select(WorkItem.plan_id, func.count()).where(WorkItem.kind.in_(("scene", "project", "task")))
                 .group_by(WorkItem.plan_id))
        n_items = dict(session.execute(items).all())
        n_ms = dict(session.execute(select(Milestone.plan_id, func.count()).group_by(Milestone.plan_id)).all())
        for plan in session.scalars(select(Plan).order_by(Plan.issue_date)):
            click.echo(f"{plan.label}\t{plan.title}\t{plan.issue_date}\t{plan.kind}\t"
                       f"{n_items.get(plan.id, 0)} items\t{n_ms.get(plan.id, 0)} milestones")


@click.command("findings")
@click.option("--plan", help="document number (or title) of one plan")
@with_appcontext
def findings_cmd(plan: str | None) -> None:
    """List the data-quality findings of the imports."""
    with session_scope() as session:
        for f in finding_rows(session, _check_plan(session, plan) if plan else None):
            click.echo(f"{f['plan']}\t{f['kind']}\t{f['message']}\t{f['source']}")


def _check_plan(session, plan: str) -> str:
    key = session.scalar(select(Plan.key).where((Plan.key == plan) | (Plan.title == plan)))
    if key is None:
        known = "、".join(session.scalars(select(Plan.key)))
        raise click.BadParameter(f"未知的计划 {plan!r}（已导入：{known}）", param_hint="--plan")
    return key


def _check_region(session, name: str | None, level: str, hint: str) -> str | None:
    if name is None:
        return None
    short = name.removesuffix("市") if level == "city" else name
    if session.scalar(select(Region.id).where(Region.name == short, Region.level == level)) is None:
        raise click.BadParameter(f"未知的{'地市' if level == 'city' else '县（市、区）'} {name!r}",
                                 param_hint=hint)
    return short


def _check_department(session, name: str | None) -> str | None:
    name = canonical(name) if name is not None else None  # (市发改委 is filed as 市发展改革委)
    if name is not None and session.scalar(select(Department.id).where(Department.name == name)) is None:
        raise click.BadParameter(f"未知的部门 {name!r}（请使用文件中的部门全称，如 市发展改革委）",
                                 param_hint="--department")
    return name


def _view(session, as_of, plan, year, city, department, statuses) -> tuple[date, Filters]:
    """The date and filters of an export, as a page with these URL values has
    them: by default the date the pages default to, over the plans they cover
    (queries.scope)."""
    plan = _check_plan(session, plan) if plan else None
    city = _check_region(session, city, "city", "--city")
    day = as_of.date() if as_of else scope.default_date(session, clock.today(), plan, year, city)
    return day, Filters(plan=plan, year=year, city=city, department=_check_department(session, department),
                        statuses=tuple(statuses), plans=scope.plan_ids(session, day, plan, year, city))


def _export_options(fn):
    for option in reversed([
        click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="review date YYYY-MM-DD (default: the pages' default date)"),
        click.option("--plan", help="document number, e.g. 浙信用办〔2020〕5号 (or the title)"),
        click.option("--year", type=int, help="the plans of one plan year, e.g. 2020"),
        click.option("--city", help="杭州 … 丽水"),
        click.option("--department", help="department name, e.g. 市发展改革委"),
        click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
                     show_default=True),
        click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
                     help="file to write (default: stdout for csv/json)"),
    ]):
        fn = option(fn)
    return fn


def _write(data: bytes | str, fmt: str, output: Path | None) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if output:
        output.write_bytes(data)
        click.echo(f"written: {output}", err=True)
    elif fmt == "xlsx":
        raise click.UsageError("--format xlsx needs --output FILE")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _render(rows, fmt, headers, title) -> bytes | str:
    if fmt == "json":
        return to_json([{key: row[key] for key in headers} for row in rows])
    if fmt == "csv":
        return to_csv(rows, headers)
    return to_xlsx(rows, headers, title)


@click.command("export-status")
@_export_options
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="only milestones with this status (repeatable)")
@with_appcontext
def export_status(as_of, plan, year, city, department, fmt, output, statuses) -> None:
    """Export the status table (one row per milestone) as of a date: csv and xlsx
    in the official layout, the same files as the pages' 导出 buttons."""
    with session_scope() as session:
        as_of, filters = _view(session, as_of, plan, year, city, department, statuses)
        rows = status_rows(session, as_of, filters,
                           current_app.config["DUE_SOON_DAYS"])
    if fmt == "json":
        data = to_json([{key: row[key] for key in STATUS_HEADERS} for row in rows])
    elif fmt == "csv":
        data = status_csv(rows)
    else:
        data = status_xlsx(rows, ledger_title(filters, as_of))
        output = output or Path(export_filename(ledger_stem(filters), as_of) + ".xlsx")
    _write(data, fmt, output)


@click.command("export-indicators")
@_export_options
@with_appcontext
def export_indicators(as_of, plan, year, city, department, fmt, output) -> None:
    """Export the indicators with their latest actual and attainment as of a date."""
    with session_scope() as session:
        as_of, filters = _view(session, as_of, plan, year, city, department, ())
        rows = indicator_rows(session, as_of, filters)
    title = export_title("指标监测表", as_of, f"{city or '全省'}")
    _write(_render(rows, fmt, INDICATOR_HEADERS, title), fmt, output)


@click.command("export-assessment")
@click.option("--year", type=int, required=True, help="the plan year assessed, e.g. 2020")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="assessment date (default: 31 January of the next year, or the latest report)")
@click.option("--result", "result_id", type=int, help="a published result's number (default: the current rules)")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="file to write (default: 2020年度考核结果_<date>.xlsx in the working directory)")
@with_appcontext
def export_assessment(year, as_of, result_id, output) -> None:
    """Export a year's assessment (a summary sheet, one sheet per city, the rules)
    as the 年度考核 page's 导出 button does."""
    if year not in assessment.years():
        raise click.BadParameter(f"没有{year}年度的计划（有：{'、'.join(map(str, assessment.years()))}）",
                                 param_hint="--year")
    if result_id is not None:
        try:
            card = assessment.shown(year, None, result_id)
        except LookupError as exc:
            raise click.BadParameter(str(exc), param_hint="--result") from None
        day = date.fromisoformat(card["result"]["as_of"])
    else:
        day = as_of.date() if as_of else assessment.default_date(year, assessment.latest_report(year))
        card = assessment.shown(year, day)
    _write(scorecard_workbook(year, day, card), "xlsx", output or Path(workbook_name(year, day)))


def cli_actor() -> str:
    """Who the audit log names for a command: the operating-system account."""
    try:
        return f"命令行:{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"


def read_password(confirm: bool = True) -> str:
    """From the prompt (typed twice) on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return click.prompt("密码", hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLES)), required=True, help="admin | leader | city | department")
@click.option("--city", help="杭州 … 丽水 (city and department editors)")
@click.option("--department", help="the department's name as the plans write it, e.g. 市发展改革委")
@click.option("--county", help="for a county unit that several counties share a name of")
@click.option("--name", "display_name", help="the name shown in the navbar and the reports (default: USERNAME)")
@click.option("--email", help="where reminders and 催办 are sent")
@click.option("--mobile", help="a mobile number (kept; not used yet)")
@with_appcontext
def create_user_cmd(username, role, city, department, county, display_name, email, mobile) -> None:
    """Create an account; the password is read from the prompt or stdin."""
    password = read_password()
    with _account_errors(), session_scope() as session:
        user = create_user(session, cli_actor(), username, password, role, display_name=display_name,
                           city=city, department=department, county=county, email=email, mobile=mobile)
        click.echo(f"created: {user.username} ({ROLES[role]})")


@click.command("set-password")
@click.argument("username")
@with_appcontext
def set_password_cmd(username) -> None:
    """Set a new password (prompt or stdin); the account's other sessions end."""
    password = read_password()
    with _account_errors(), session_scope() as session:
        set_password(session, cli_actor(), username, password)
    click.echo(f"password changed: {username}")


@click.command("update-user")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLES)))
@click.option("--city")
@click.option("--department")
@click.option("--county")
@click.option("--name", "display_name")
@click.option("--active/--inactive", default=None, help="--inactive: the account can no longer log in")
@click.option("--email", help='where reminders and 催办 are sent ("" removes it)')
@click.option("--mobile", help='a mobile number ("" removes it)')
@with_appcontext
def update_user_cmd(username, role, city, department, county, display_name, active, email, mobile) -> None:
    """Change an account's role and scope, name, contacts, or whether it may log in."""
    with _account_errors(), session_scope() as session:
        update_user(session, cli_actor(), username, role=role, city=city, department=department,
                    county=county, display_name=display_name, active=active, email=email, mobile=mobile)
    click.echo(f"updated: {username}")


@click.command("send-reminders")
@with_appcontext
def send_reminders_cmd() -> None:
    """Write today's reminders (临期, 逾期, 报送) and mail what waits to be mailed;
    safe to run as often as wanted (each reminder once; failed mail retried)."""
    with session_scope() as session:
        tally = remind(session, clock.today())
    with session_scope() as session:
        sent, failed = send_pending(session)
    if tally.total or sent or failed:
        invalidate()  # (the item pages list the reminders and whether they were mailed)
    kinds = "，".join(f"{NOTICE_KINDS[k]} {n}" for k, n in tally.added.items())
    mail = f"邮件：发送 {sent} 封，失败 {failed} 封（下次运行时重试）" if configured() else "邮件：未设置 SMTP_HOST，仅站内提醒"
    click.echo(f"提醒：新增 {tally.total} 条（{kinds}）；{mail}")


@click.command("list-users")
@with_appcontext
def list_users_cmd() -> None:
    """List the accounts."""
    with session_scope() as session:
        for u in user_rows(session):
            scope = " · ".join(x for x in (u["city"], u["department"]) if x) or "全省"
            click.echo(f"{u['username']}\t{u['display_name']}\t{u['role']}\t{scope}\t"
                       f"{'active' if u['active'] else 'inactive'}\t{u['created_at']}\t{u['email'] or '-'}")


@contextmanager
def _account_errors():
    try:
        yield
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("import-report")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="the account the report is made as")
@click.option("--city", help="an admin's report for one city")
@click.option("--yes", is_flag=True, help="write without asking after the preview")
@click.option("--dry-run", is_flag=True, help="check and preview only")
@with_appcontext
def import_report_cmd(path: Path, username, city, yes, dry_run) -> None:
    """Import a filled-in report template (.xlsx): every row is checked first;
    any problem lists them all and writes nothing; else a preview, then one transaction."""
    with session_scope() as session:
        try:
            user = find_user(session, username)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
        if not user.active:
            raise click.ClickException(f"账号 {username} 已停用")
        account = account_of(session, user)
        city_id = _check_city_id(session, city) if city else None
    report, problems = read_template(path.read_bytes(), path.name, channel="cli")
    result = Result(problems=problems) if problems else submit(report, account, city_id, dry_run=True)
    if not result.ok:
        for p in result.problems:
            click.echo(f"  {p}", err=True)
        raise click.ClickException(f"{len(result.problems)} 处问题，未写入任何数据")
    click.echo(f"{path.name}：{period_label(report.period)}，{len(result.preview)} 项变化")
    for change in result.preview:
        click.echo(f"  [{change['kind']} 第{change['row']}行] {change['label']}\n"
                   f"      {change['before']}  ->  {change['after']}")
    if dry_run:
        return
    if not yes and not (sys.stdin.isatty() and click.confirm("写入以上变化？")):
        raise click.ClickException("未写入（确认写入请加 --yes）")
    result = submit(report, account, city_id)
    if result.conflicts:
        for c in result.conflicts:
            click.echo(f"  {c.label}: 他人已报送 {c.theirs}", err=True)
        raise click.ClickException(f"{len(result.conflicts)} 条记录在下载模板后已被他人更新，未写入任何数据")
    click.echo(result.outcome.summary())


def _check_city_id(session, city: str) -> int:
    name = _check_region(session, city, "city", "--city")
    return session.scalar(select(Region.id).where(Region.name == name))


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="file to write (default: ./backup-YYYYMMDD-HHMMSS.sqlite3 or .pgdump)")
@with_appcontext
def backup_cmd(output: Path | None) -> None:
    """Back up the store (a consistent snapshot; safe while the app runs)."""
    store = current_store()
    try:
        path = backups.backup(store, output or Path(backups.default_name(store)))
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written: {path} ({_size(path.stat().st_size)})")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="restore without asking")
@with_appcontext
def restore_cmd(path: Path, yes: bool) -> None:
    """Replace ALL data of the store with a backup (checked first; all or nothing)."""
    store = current_store()
    target = store.engine.url.render_as_string(hide_password=True)
    try:
        info = backups.check(store, path)
        click.echo(f"{path}: schema revision {info.revision}"
                   + (f" (older: will be upgraded to {info.head})" if info.older else ""))
        if not yes and not click.confirm(f"用此备份替换 {target} 的全部数据？/ replace all data of {target}?"):
            raise click.ClickException("未恢复（确认请加 --yes）/ not restored")
        backups.restore(store, path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    invalidate()
    with session_scope() as session:
        record(session, cli_actor(), "store.restore", path.name, after={
            "文件": str(path.resolve()), "大小": path.stat().st_size, "备份版本": info.revision,
            "当前版本": info.head})
    click.echo(f"restored: {target} from {path}")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


@click.command("export-bulletin")
@click.option("--month", required=True, help="the month reviewed, YYYY-MM (e.g. 2020-09)")
@click.option("--plan", help="one plan (document number or title); default: the province's plans in force")
@click.option("--year", type=int, help="the plans of one plan year")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="the .docx to write (default: 2020年9月信用应用场景推进情况通报.docx here)")
@with_appcontext
def export_bulletin(month, plan, year, output) -> None:
    """Write the month's 月度通报 (Word) from the monthly review's figures."""
    f = reviewed_figures(month, plan, year)
    written(bulletin_docx(f), file_name(f.month), "docx", output)


@click.command("export-urge")
@click.option("--city", type=click.Choice(CITIES), required=True)
@click.option("--department", help="one department of the city (its name); default: the whole city")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="the day it speaks of (default: the city's pages' date, its latest report)")
@click.option("--reply-by", "reply_by", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="the date to reply by (default: 7 days after the day it is written)")
@click.option("--format", "file_format", type=click.Choice(["docx", "pdf"]), default="docx", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="the file to write")
@with_appcontext
def export_urge(city, department, as_of, reply_by, file_format, output) -> None:
    """Write a 督办单 (Word or PDF): a city's or a department's overdue and
    due-soon milestones, as the overdue page lists them for that scope."""
    if department and department not in api.choices()["departments"]:
        raise click.UsageError(f"--department: no department “{department}”")
    view = read_view({"city": city, "department": department, "as_of": as_of and as_of.date().isoformat()})
    if view.problems:
        raise click.UsageError("; ".join(view.problems))
    try:
        data, name = letter_for_view(view, reply_by.date() if reply_by else None)
    except NothingToChase as exc:
        raise click.ClickException(str(exc)) from None
    written(data, name, file_format, output)


@click.command("export-deck")
@click.option("--month", required=True, help="the month reviewed, YYYY-MM (e.g. 2020-09)")
@click.option("--plan", help="one plan (document number or title); default: the province's plans in force")
@click.option("--year", type=int, help="the plans of one plan year")
@click.option("--format", "file_format", type=click.Choice(["pptx", "pdf"]), default="pptx", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="the file to write (default: 2020年9月信用应用场景月度推进会.pptx here)")
@with_appcontext
def export_deck(month, plan, year, file_format, output) -> None:
    """Write the 月度推进会 deck (PowerPoint or PDF) from the monthly review's figures."""
    f = reviewed_figures(month, plan, year)
    written(deck_pptx(f, current_app.config["DUE_SOON_DAYS"]), deck_file_name(f), file_format, output)


def reviewed_figures(month, plan, year):
    try:
        reviewed, plans = asked(month, plan, year)
    except ValueError as exc:
        raise click.UsageError(f"--{exc}") from None
    return figures(reviewed, plans)


def written(data: bytes, name: str, file_format: str, output: Path | None) -> None:
    """Write ``data`` (named ``name``), or its PDF, to ``output`` (default: ``name`` here)."""
    stem, suffix = name.rsplit(".", 1)
    if file_format == "pdf":
        try:
            data, name = to_pdf(data, "." + suffix), f"{stem}.pdf"
        except PdfError as exc:
            raise click.ClickException(str(exc)) from None
    output = output or Path(name)
    output.write_bytes(data)
    click.echo(f"written: {output}", err=True)


COMMANDS = [init_db, db_upgrade, generate_cmd, import_cmd, load_demo_cmd, clear_demo_cmd, plans_cmd, findings_cmd,
            export_status, export_indicators, export_assessment, create_user_cmd, set_password_cmd, update_user_cmd,
            list_users_cmd, import_report_cmd, backup_cmd, restore_cmd, send_reminders_cmd, export_bulletin,
            export_urge, export_deck]


def init_app(app) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
