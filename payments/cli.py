"""`flask --app app payments vietqr …`: build a VietQR payload and write its images."""
import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext as _

from producers.banks import bank_by_bin
from payments.messages import vietqr_error_message
from payments.qrimage import png_bytes, svg_document
from payments.vietqr import TEXT_FIELD_MAX, VietQRError, build_payload, fit_memo

cli_group = AppGroup("payments", help="VietQR payment codes.")


@cli_group.command("vietqr")
@click.option("--bin", "bin_code", required=True, help="6-digit NAPAS bank code, e.g. 970405 (Agribank).")
@click.option("--account", required=True, help="Account number.")
@click.option("--amount", type=int, help="Whole đồng; omit for a static (reusable) code.")
@click.option("--memo", help="Transfer content; folded to ASCII, whole words within 25 characters.")
@click.option("--png", "png_path", type=click.Path(dir_okay=False, writable=True), help="Write a PNG here.")
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, writable=True), help="Write an SVG here.")
def vietqr(bin_code, account, amount, memo, png_path, svg_path):
    """Print a VietQR payload and optionally write it as PNG and SVG."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        bank = bank_by_bin(bin_code)
        if bank is None:
            raise click.BadParameter(_("No bank has the code %(bin)s in the NAPAS list.", bin=bin_code),
                                     param_hint="--bin")
        fitted = fit_memo(memo)
        if fitted.shortened:
            # Banks keep 25 characters; say what the payer will actually see.
            click.echo(_("The memo was shortened to %(limit)s characters: “%(memo)s”.",
                         limit=TEXT_FIELD_MAX, memo=fitted.text), err=True)
        try:
            payload = build_payload(bin_code, account.strip(), amount=amount, memo=fitted.text)
        except VietQRError as error:
            raise click.ClickException(vietqr_error_message(error)) from None
        click.echo(payload)
        for path, content in ((png_path, png_bytes(payload)), (svg_path, svg_document(payload).encode("utf-8"))):
            if path:
                try:
                    with open(path, "wb") as handle:
                        handle.write(content)
                except OSError as error:
                    raise click.ClickException(_("Could not write %(path)s: %(reason)s",
                                                 path=path, reason=error.strerror)) from None
                click.echo(_("Written: %(path)s", path=path), err=True)
        click.echo(_("Bank: %(bank)s", bank=bank.short_name), err=True)
