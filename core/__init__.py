"""What every domain shares: the clock, the language and formats, error pages and headers,
safe redirects, optimistic locking, resumable uploads. Web doors in core/views/."""
