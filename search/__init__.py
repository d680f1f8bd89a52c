"""Vietnamese-aware product search: a Whoosh index kept in step with the database (through a
change log), the search page, the JSON search and suggestion APIs, and `flask search`.

Settings (SEARCH_*) are in config.py; the web layer is `search.views` (loaded only by the app
factory), the commands `search.cli`."""
