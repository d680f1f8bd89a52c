"""Claim letters for the producers nobody has claimed yet (imported from an official list, or
started by a helper): each letter gets a fresh claim code. Changes the session, never commits.

    letters = issue_claim_letters(unclaimed_producers(commune_codes), actor, base_url)
    pdf = producers.letters.claim_letters_pdf(letters)

Issuing a letter replaces the producer's previous code (only its hash is stored), so a letter
printed earlier stops working: print the letters when they are handed out.
"""
from __future__ import annotations

from flask import current_app

from extensions import db
from places import units
from producers import claims
from producers.constants import ProducerStatus
from producers.letters import ClaimLetter
from producers.models import Producer
from producers.services import issue_claim_code, product_names

CLAIM_ENDPOINT = "producers.claim"
CODE_PARAMETER = "ma"
LETTER_STATUSES = (ProducerStatus.DRAFT, ProducerStatus.SUBMITTED, ProducerStatus.CHANGES_REQUESTED,
                   ProducerStatus.VERIFIED)


def unclaimed_producers(commune_codes=None) -> list[Producer]:
    """Producers without an owner, by commune then name. `commune_codes` None means every
    commune (an administrator); otherwise only producers of those communes."""
    query = db.select(Producer).where(Producer.owner_id.is_(None), Producer.status.in_(LETTER_STATUSES))
    if commune_codes is not None:
        query = query.where(Producer.commune_code.in_(list(commune_codes)))
    producers = db.session.scalars(query).all()
    return sorted(producers, key=lambda item: (item.province_code or 0, item.commune_code or 0,
                                               item.legal_name.casefold(), item.id))


def claim_url(base_url: str, code: str) -> str:
    """The claim page with the code filled in. Built from the app's URL map, not a request, so the
    command line prints the same address as the officer's download."""
    path = current_app.url_map.bind("localhost").build(CLAIM_ENDPOINT, {CODE_PARAMETER: code})
    return f"{base_url.rstrip('/')}{path}"


def issue_claim_letters(producers, actor, base_url: str) -> list[ClaimLetter]:
    """A letter with a new claim code for each producer (recorded in its audit log)."""
    letters = []
    for producer in producers:
        code = issue_claim_code(producer, actor)
        names = product_names(producer.id)
        letters.append(ClaimLetter(producer_name=producer.legal_name, code=claims.display(code),
                                   claim_url=claim_url(base_url, code), products=tuple(names),
                                   place=_place(producer)))
    return letters


def _place(producer) -> str:
    commune = units.commune(producer.commune_code) if producer.commune_code else None
    province = units.province(producer.province_code) if producer.province_code else None
    if commune is not None:
        return f"{commune.name}, {province.short_name}" if province else commune.name
    return producer.address or (province.short_name if province else "")
