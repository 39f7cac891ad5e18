"""Share with a supporter: a read-only link to the reader's progress for a sponsor, therapist
or friend. Long, random, stored only as a SHA-256; it can expire, be turned off, and says when
it was last opened. The shared page sets no cookie, carries no CSRF token, asks search engines
to stay away and has no way back into the app."""
