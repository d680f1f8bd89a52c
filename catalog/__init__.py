"""Catalogue: a producer's products (name, OCOP product set, price, availability, photos), read
in from spreadsheets, shown on public pages and the JSON API, and written out to marketplaces.

Its terms (product status, availability, sorts) are in `catalog.constants`; the web layer is
`catalog.views` (loaded only by the app factory), the commands `catalog.cli`."""
