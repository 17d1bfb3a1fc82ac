"""Command-line tools: `flask --app app content|users|demo ...`."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from jimtraining.accounts import services as accounts
from jimtraining.accounts.models import User
from jimtraining.accounts.passwords import password_problems
from jimtraining.backup import backup_cli
from jimtraining.cartridge.cli import export_cli
from jimtraining.certification.cli import certificates_cli
from jimtraining.content_tree import load_content, sync_content
from jimtraining.credentials.cli import credentials_cli
from jimtraining.extensions import db
from jimtraining.privacy.cli import privacy_cli
from jimtraining.quizzes.cues import cue_report
from jimtraining.roles import Role

content_cli = AppGroup("content", help="Check and load the curriculum in modules/.")
users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demo data for a local installation.")
#: The roles as typed on the command line: their stored values ("trainer"), not their names.
ROLE_NAMES = [role.value for role in Role]
quiz_cli = AppGroup("quiz", help="Import and export question banks (Moodle GIFT and Moodle XML).")


def _load_or_report():
    tree = load_content(current_app.config["MODULES_DIR"])
    for problem in tree.problems:
        click.echo(str(problem), err=True)
    for warning in tree.warnings:
        click.echo(f"warning: {warning}", err=True)
    return tree


def _cohort_track_problems(tracks: dict, titles: dict) -> list[str]:
    """A line per cohort in the database that does not show every module its track requires."""
    from jimtraining.cohorts.track_fit import cohorts_lacking_track_modules, missing_modules_text

    return [f"database: groep {cohort.id} '{cohort.name}' (/cohorts/{cohort.id}/edit): "
            + missing_modules_text(track.title, [titles.get(slug, slug) for slug in missing])
            for cohort, track, missing in cohorts_lacking_track_modules(tracks)]


@content_cli.command("check")
@click.option("--database", is_flag=True,
              help="Also check the groups in the database: each must show every module its track (as in the files) "
                   "requires.")
def content_check(database):
    """Validate every module and lesson; exit 1 and list each problem as path:line: message. Warnings are listed
    as warning: path:line: message and do not fail the check; so are the cue patterns of the question banks.
    With --database, groups that do not show every module their track requires are problems too."""
    tree = _load_or_report()
    for line in cue_report(tree.modules):
        click.echo(line)
    problems = len(tree.problems)
    if database:
        for line in _cohort_track_problems({t.slug: t for t in tree.tracks}, {m.slug: m.title for m in tree.modules}):
            click.echo(line, err=True)
            problems += 1
    if problems:
        click.echo(f"{problems} problem(s) found.", err=True)
        sys.exit(1)
    lessons = sum(len(m.lessons) for m in tree.modules)
    quizzes = sum(1 for m in tree.modules if m.quiz is not None)
    click.echo(f"OK: {len(tree.modules)} modules, {lessons} lessons, {quizzes} quizzes, "
               f"{len(tree.scenarios)} scenarios, {len(tree.tracks)} tracks, "
               f"{len(tree.course_unit)} course unit parts.")


@content_cli.command("sync")
def content_sync():
    """Load modules/ into the database (idempotent; progress is kept, removed lessons are archived)."""
    tree = _load_or_report()
    if not tree.ok:
        click.echo("Nothing was loaded: fix the problems above first.", err=True)
        sys.exit(1)
    report = sync_content(tree)
    click.echo(
        f"Synced: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.archived)} archived, {len(report.restored)} restored, {report.unchanged} unchanged."
    )
    for name in report.archived:
        click.echo(f"  archived: {name}")
    from jimtraining.content.catalogue import catalogue

    content = catalogue()
    lacking = _cohort_track_problems({slug: t for slug, t in content.tracks.items() if not t.archived},
                                     {slug: module.title for slug, module in content.by_slug.items()})
    for line in lacking:
        click.echo(f"warning: {line}", err=True)
    if lacking:
        click.echo(f"{len(lacking)} group(s) do not show every module their track requires: add the modules at "
                   "'Groep bewerken' (the link in each line).", err=True)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLE_NAMES), default=Role.LEARNER.value, show_default=True)
@click.password_option()
def users_create(email, name, role, password):
    """Create an account (for the first admin of a new installation)."""
    if accounts.find_by_email(email):
        raise click.ClickException(f"an account with {email} already exists")
    problems = password_problems(password, name, email)
    if problems:
        raise click.ClickException(" ".join(problems))
    user = accounts.create_user(email=email, name=name, password=password, role=role)
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def users_set_role(email, role):
    """Give an existing account another role."""
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with {email}")
    user.role = role
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@demo_cli.command("seed")
def demo_seed():
    """Add demo organisations and accounts; does nothing when the database already has users."""
    from jimtraining.demo import seed_demo

    if db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users; demo data not added.")
        return
    seed_demo()
    click.echo("Demo data added. Demo accounts use the password 'jim-demo-wachtwoord' (demo only).")


def _module_folder(slug: str):
    from pathlib import Path

    root = Path(current_app.config["MODULES_DIR"])
    tree = load_content(root)
    module = next((m for m in tree.modules if m.slug == slug), None)
    if module is None:
        raise click.ClickException(f"no module with slug {slug!r} in {root}")
    return root / module.folder


@quiz_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--module", "module_slug", required=True, help="Slug of the module whose quiz.yml receives them.")
def quiz_import(file, module_slug):
    """Add the questions of a GIFT (.gift, .txt) or Moodle XML (.xml) file to a module's quiz.yml."""
    from jimtraining.quizzes.bank import BankError, merge_questions
    from jimtraining.quizzes.gift import parse_gift
    from jimtraining.quizzes.moodle_xml import parse_moodle_xml

    folder = _module_folder(module_slug)
    try:
        with open(file, encoding="utf-8-sig") as fh:
            source = fh.read()
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text: save it as UTF-8 and try again") from None
    is_xml = file.lower().endswith(".xml") or source.lstrip().startswith("<")
    result = parse_moodle_xml(source) if is_xml else parse_gift(source)
    for line, message in result.problems:
        click.echo(f"{file}:{line}: {message}", err=True)
    if not result.questions:
        raise click.ClickException("no question could be converted; quiz.yml was not changed")
    try:
        merge_questions(folder / "quiz.yml", result.questions)
    except BankError as error:
        raise click.ClickException(f"{folder.name}/quiz.yml: {error}") from None
    click.echo(f"Imported {len(result.questions)} question(s) into {folder.name}/quiz.yml; "
               f"{len(result.problems)} problem(s) reported. Run `flask content check`, then `flask content sync`.")
    tree = load_content(current_app.config["MODULES_DIR"])
    for problem in tree.problems:
        if problem.path.startswith(folder.name + "/quiz.yml"):
            click.echo(f"check: {problem}", err=True)


@quiz_cli.command("export")
@click.option("--module", "module_slug", required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def quiz_export(module_slug, output):
    """Write a module's question bank as Moodle GIFT."""
    from jimtraining.quizzes.bank import read_bank
    from jimtraining.quizzes.gift import to_gift

    bank = read_bank(_module_folder(module_slug) / "quiz.yml")
    if not bank.get("questions"):
        raise click.ClickException(f"module {module_slug!r} has no questions")
    text, skipped = to_gift(bank["questions"])
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
    for key in skipped:
        click.echo(f"not exported (GIFT has no ordering questions): {key}", err=True)


def register_cli(app):
    for group in (content_cli, users_cli, demo_cli, quiz_cli, certificates_cli, credentials_cli, backup_cli,
                  privacy_cli, export_cli):
        app.cli.add_command(group)
