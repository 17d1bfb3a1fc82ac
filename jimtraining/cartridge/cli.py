"""`flask --app app export cc --output FILE.imscc [--thin]`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from jimtraining.cartridge.package import build_cc
from jimtraining.cartridge.thin import build_thin

export_cli = AppGroup("export", help="Export the curriculum for other learning platforms.")


@export_cli.command("cc")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The .imscc file to write.")
@click.option("--thin", is_flag=True, help="A Thin Common Cartridge 1.3 of LTI links (Brightspace, Canvas).")
def export_cc(output, thin):
    """Write the synced curriculum as an IMS Common Cartridge (1.1, or Thin 1.3 with --thin)."""
    if thin:
        data, links = build_thin()
        Path(output).write_bytes(data)
        click.echo(f"Wrote {output}: Thin Common Cartridge 1.3 with {links} LTI link(s).")
        return
    export = build_cc(Path(current_app.config["MODULES_DIR"]))
    Path(output).write_bytes(export.data)
    click.echo(f"Wrote {output}: Common Cartridge 1.1 with {export.modules} module(s) and {export.quizzes} quiz(zes).")
    for module, number, kind in export.skipped:
        click.echo(f"not exported (Common Cartridge has no such question type): {module}, question {number} ({kind})",
                   err=True)
