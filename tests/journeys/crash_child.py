"""Run by test_search_crash.py in a child process: make one catalogue change and die
(``os._exit``, as ``kill -9`` would) at one step between the database and the index.

    python -m tests.journeys.crash_child CONFIG_JSON STEP PRODUCT_ID NEW_NAME

Steps: after-commit (committed, index not touched), whoosh-commit (segment written, its
table of contents not), after-apply (index committed, log position not recorded),
mid-rebuild (a full build dies half way), rebuild-before-catch-up (a build swapped in,
with a change committed while it ran, dies before catching up).
"""
import json
import os
import sys


def die(*_args, **_kwargs):
    os._exit(9)


def main(config_json, step, product_id, new_name):
    import whoosh.writing

    from app import create_app
    from extensions import db
    from search import engine, sync

    config = json.loads(config_json)
    if step in ("mid-rebuild", "rebuild-before-catch-up"):
        config["SEARCH_SYNC"] = False  # this process only builds; its saves leave the index alone
    app = create_app(config)
    from catalog.models import Product  # after the factory, which loads every domain's models in order

    def rename():
        db.session.get(Product, product_id).name = new_name
        db.session.commit()

    with app.app_context():
        if step == "after-commit":
            engine.IndexStore.apply = die
        elif step == "whoosh-commit":
            whoosh.writing.SegmentWriter._commit_toc = die
        elif step == "after-apply":
            engine.IndexStore.write_position = die
        elif step == "mid-rebuild":
            rename()
            documents = sync._documents

            def dying_documents(connection):
                for number, document in enumerate(documents(connection)):
                    if number == 10:
                        die()
                    yield document

            sync._documents = dying_documents
            sync.rebuild()
        elif step == "rebuild-before-catch-up":
            documents = sync._documents

            def documents_with_a_save(connection):
                for number, document in enumerate(documents(connection)):
                    if number == 10:
                        rename()  # another worker saves while the new version is written
                    yield document

            sync._documents = documents_with_a_save
            sync.catch_up = die
            sync.rebuild()
        else:
            raise SystemExit(f"unknown step {step}")
        rename()
    return 3  # the hook did not fire


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
