"""Spreadsheet import of producers and products (CSV, XLSX, or a ZIP with photos).

Pure parts: ``sheet`` (reading files safely), ``columns`` (header names), ``values`` and
``rows`` (cells -> validated records), ``photos`` (which listed photos are new), ``report``
and ``messages``. Database side: ``apply`` (``import_file``, ``run_import``, ``ImportOptions``)
and ``scope`` (whose rows a user may import). ``texts`` translates messages (Flask).
"""
