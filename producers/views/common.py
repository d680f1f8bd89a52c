"""What the producers' pages share: the wizard's addresses, the producer a user may open,
closed steps, stored document photos and the helpers their templates use. View modules import
this module, never each other."""
from flask import flash, g, redirect, url_for

from accounts.phones import display_phone
from media.images import ImageRejected
from media.messages import STORAGE_FAILURE_MESSAGE, rejection_message
from media.storage import StorageError
from places.units import commune, province
from producers import rules, services
from producers.banks import bank_by_bin
from producers.rules import group_account, mask_personal_id
from producers.views import bp, texts

STEP_ENDPOINTS = {
    rules.PROFILE: "producers.step_profile",
    rules.DOCUMENTS: "producers.step_documents",
    rules.BANK: "producers.step_bank",
    rules.REVIEW: "producers.step_review",
}


def step_url(producer, step):
    return url_for(STEP_ENDPOINTS[rules.clamp_step(step)], producer_id=producer.id)


def resume_url(producer):
    return step_url(producer, rules.resume_step(producer.status, producer.wizard_step))


def place_name(producer):
    """'Xã Gia Phú, Lào Cai' for display; empty while no commune is chosen."""
    chosen = commune(producer.commune_code)
    if chosen is None:
        return ""
    return f"{chosen.name}, {province(chosen.province_code).name}"


def bank_name(bank_bin):
    bank = bank_by_bin(bank_bin)
    return bank.short_name if bank else bank_bin


@bp.context_processor
def _wizard_helpers():
    return {"step_url": step_url, "resume_url": resume_url, "wizard": rules, "texts": texts,
            "place_name": place_name, "bank_name": bank_name, "display_phone": display_phone,
            "mask_personal_id": mask_personal_id, "group_account": group_account}


def load_producer(producer_id):
    """The producer if the logged-in user may work on it, else 404 (never 403: no hint it exists)."""
    return services.producer_or_404(producer_id, g.user)


def closed_step(producer, step, editable):
    """A redirect when this step cannot be used now, else None."""
    if not editable:
        flash(texts.locked_message(producer.status), "info")
        return redirect(step_url(producer, rules.REVIEW))
    if not rules.step_is_open(step, producer.wizard_step):
        return redirect(resume_url(producer))
    return None


def store_document_photo(field):
    """The stored photo's key, or None with the reason added to the field's errors."""
    try:
        return services.store_document_image(field.data)
    except ImageRejected as error:
        field.errors.append(rejection_message(error))
    except StorageError:
        field.errors.append(str(STORAGE_FAILURE_MESSAGE))
    return None
