"""Which messages a producer received, for the people allowed to see them. The permission is
part of each query: the owner reads its own producer's messages; an officer reads those of
producers in the communes it works for (404 otherwise, as for the dossier)."""
from extensions import db
from notifications.constants import NoticeKind
from notifications.models import Notification
from producers.models import Producer

HISTORY_LIMIT = 50
# Messages about a producer that went to someone else (the officers): not the producer's history.
NOT_TO_THE_PRODUCER = (NoticeKind.DOSSIER_SUBMITTED,)


def _received(producer_ids):
    return (db.select(Notification)
            .where(Notification.producer_id.in_(producer_ids), Notification.kind.not_in(NOT_TO_THE_PRODUCER))
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(HISTORY_LIMIT))


def for_owner(user, producer_id):
    own = db.select(Producer.id).where(Producer.id == producer_id, Producer.owner_id == user.id)
    return db.session.scalars(_received(own.scalar_subquery())).all()


def for_officer(visible_producers, producer_id):
    """`visible_producers`: the officer's producer query (verification.services.visible_producers)."""
    seen = visible_producers.where(Producer.id == producer_id).with_only_columns(Producer.id)
    return db.session.scalars(_received(seen.scalar_subquery())).all()
