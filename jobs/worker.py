"""For Huey's own consumer command, if preferred to `flask jobs worker`:

    huey_consumer jobs.worker.huey -w 2 -k thread
"""
from app import create_app

app = create_app()
huey = app.extensions["huey"]
