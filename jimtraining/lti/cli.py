"""`flask --app app lti ...`: register platforms, rotate the tool's keys, send grades, read rosters."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti import course_sync, grades, keys, platforms
from jimtraining.lti.models import LtiPlatform

lti_cli = AppGroup("lti", help="The LTI 1.3 tool: platforms (LMSs), keys, grades and rosters.")


@lti_cli.command("add-platform")
@click.option("--issuer", required=True, help="The platform's issuer (iss), a URL.")
@click.option("--client-id", required=True, help="The client id the platform gave the tool.")
@click.option("--deployment-id", "deployment_ids", required=True, multiple=True,
              help="A deployment id of the tool on the platform (repeat for more).")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authorisation endpoint.")
@click.option("--auth-token-url", required=True, help="The platform's OAuth 2 token endpoint.")
@click.option("--keyset-url", required=True, help="The platform's public key set (JWKS).")
@click.option("--name", default="", help="A name people recognise; the courses' organisation is named after it.")
@click.option("--auth-audience", default="", help="The aud of token requests, when not the token URL.")
@click.option("--frame-origin", "frame_origins", multiple=True,
              help="Another origin (https://lms.example.nl) whose pages show the tool in an iframe.")
def add_platform(issuer, client_id, deployment_ids, auth_login_url, auth_token_url, keyset_url, name, auth_audience,
                 frame_origins):
    """Register a platform (or add a deployment id to one): it can launch right away."""
    try:
        platform, new = platforms.add_platform(
            issuer=issuer, client_id=client_id, deployment_ids=list(deployment_ids), auth_login_url=auth_login_url,
            auth_token_url=auth_token_url, keyset_url=keyset_url, name=name, auth_audience=auth_audience,
            frame_origins=list(frame_origins))
    except platforms.PlatformError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    urls = platforms.tool_urls()
    click.echo(f"{'Registered' if new else 'Updated'} platform {platform.id}: {platform.name} "
               f"(deployments: {', '.join(platform.deployment_ids)}).")
    click.echo(f"Tool URLs for the platform: login {urls.login}, launch/redirect {urls.launch}, "
               f"keys {urls.jwks}, deep linking {urls.deep_linking}")


@lti_cli.command("list-platforms")
def list_platforms():
    """List the registered platforms."""
    found = platforms.platforms()
    for platform in found:
        click.echo(f"{platform.id}\t{platform.name}\t{platform.issuer}\tclient {platform.client_id}\t"
                   f"deployments {', '.join(platform.deployment_ids or [])}")
    if not found:
        click.echo("No platforms registered.")


@lti_cli.command("remove-platform")
@click.argument("platform_id", type=int)
def remove_platform(platform_id):
    """Remove a platform: its launches stop; accounts and class cohorts stay."""
    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.id == platform_id))
    if platform is None:
        click.echo(f"No platform {platform_id}.", err=True)
        sys.exit(1)
    platforms.remove_platform(platform)
    click.echo(f"Removed platform {platform_id}.")


@lti_cli.command("link-account")
@click.option("--platform", "platform_id", type=int, required=True, help="The platform's id (list-platforms).")
@click.option("--sub", required=True, help="The platform's user id of the person (the sub claim).")
@click.option("--email", required=True, help="The e-mail address of the existing account to open from now on.")
def link_account(platform_id, sub, email):
    """Let a platform's user open an existing account (an admin's decision: launches never link by e-mail)."""
    try:
        platforms.link_account(platform_id, sub, email)
    except platforms.PlatformError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"User {sub} of platform {platform_id} now opens the account of {email}.")


@lti_cli.command("rotate-keys")
def rotate_keys():
    """Make a new signing key; the current one stays published until the next rotation."""
    key = keys.rotate_keys()
    click.echo(f"New signing key {key.kid}; published keys: {', '.join(k.kid for k in keys.published_keys())}.")


@lti_cli.command("send-grades")
@click.option("--retry-failed", is_flag=True, help="Also try again the grades that failed too often.")
def send_grades(retry_failed):
    """Send the grades that are due to the platforms' gradebooks (run it from cron every few minutes)."""
    if retry_failed:
        click.echo(f"{grades.retry_failed()} failed grade(s) will be tried again.")
    sent, failed = grades.send_pending_grades()
    click.echo(f"Sent {sent} grade(s); {failed} not sent (tried again later).")


@lti_cli.command("sync-rosters")
def sync_rosters():
    """Read every course's roster into its class cohort."""
    for context, outcome in course_sync.sync_all_rosters():
        click.echo(f"{context.platform.name} / {context.title}: {outcome}")
