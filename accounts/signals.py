"""What accounts announce to the domains above them (they may not be imported from here):
`logged_in` is sent by the log-in page once the session is open, before the request commits,
so a receiver's changes commit with it (notifications shows the notices a user has not seen)."""
from blinker import Namespace

_signals = Namespace()

logged_in = _signals.signal("logged-in")
