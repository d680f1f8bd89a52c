"""Demo data for trying the site (`make run` loads it). The top layer: it may use every domain,
and no domain imports it."""
